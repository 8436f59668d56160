"""The reporting framework: report types defined as data, who reports, forms, API, XLSX upload, reminders, history.

Shared by monitoring's daily scheduling and docking's producer reports.
"""
