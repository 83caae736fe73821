"""What happened: the read side of the trace for the whole house.

The trace download of a plan, the public timeline of a commitment, the news sent to followers
and the Atom feed of a plan, and where a commitment came from. Each reads the trace by scope
(one indexed query: ``TraceEvent.scope`` or ``TraceEvent.plan_id``) and then the few domain rows
it shows, in batches. The top floor of the house, beside ``traza.ops``: it may read every app,
and no app imports it; the apps below get its reads through the hooks it fills at start-up
(``apps.py``).
"""
