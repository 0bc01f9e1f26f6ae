"""The district's web service (`budget-builder serve WORKSPACE`): clerks edit, check, preview and
publish their departments' YAML in a browser; the finance bureau reviews every department.

It is a room above the build and the batch, over the same workspace the command line builds:

- core.py       the only module importing the core (pipeline, batch, renderers' cell text …)
- workspace.py  the workspace's files, found only by name in the listing of the departments folder
- store.py      SQLite: accounts, sessions, versions (who, when, text), reviews, checks, previews
- accounts.py   scrypt password hashes, roles, departments
- district.py   saving (atomic, versioned, conflict-checked), checking, previews, builds, overview
- jobs.py       the worker processes: a check lane (what a clerk waits for) and a build lane
                (batch.build_one, niced), each with a bounded queue
- work.py       what the workers run: check + preview, compare, init — through the pipeline
- html.py       the preview: the publication (build.publication, the object the PDF draws)
                drawn as HTML with the PDF's own cell text
- security.py   CSP, headers, body limits, session cookies, CSRF, login rate limit
- app.py        Starlette routes and Jinja2 pages in Chinese
- cli.py        `serve` and `users`
- importing.py  the adapter to the importer (issue 19)
"""
