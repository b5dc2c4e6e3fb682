"""Import and export of the tables planners keep: division codes, sites, departments, systems, devices."""
