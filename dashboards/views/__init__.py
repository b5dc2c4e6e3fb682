"""Operator and planner pages: status board, device page, coverage map, cloud-migration report."""
