"""Services for SMEs (issue 14): the size self-test, arrears complaints, policy matching and the 专精特新 ladder.

One sub-package per capability, each with its models, schemas, service, api.py and pages.py.
"""
