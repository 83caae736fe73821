"""Operations: what runs the instance rather than the domain — backup and restore, the
health check, the daily job and serving. The top floor of the house: it may use every app,
and no app imports it; apps lend it what only they know through ``traza.core.hooks``."""
