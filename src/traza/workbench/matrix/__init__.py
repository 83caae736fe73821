"""The secretariat's matrix of contributions and responses ("matriz de sistematización de
aportes"), both ways: exported as XLSX and CSV, imported with a column mapping and a dry
run, then all at once through the services."""
