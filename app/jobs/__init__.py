"""Background jobs: long work queued by a request or the CLI and done by `tailings worker`.

A request that starts long work calls `submit(...)` and answers at once with the job's id; the page polls
`GET /api/jobs/{id}` for state and progress. A kind of job is a function its domain registers with
`@handler(kind)` (app.job_kinds imports every such module, for the worker and the web app; this package
imports no domain); it gets the job's parameters and a `progress(share, message)` callback and returns a
JSON-able result.
"""
