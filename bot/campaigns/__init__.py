"""Daily campaigns: yearly series of posts (UDHR countdown, June 26, rights days) sent exactly once.

`content` loads and checks the editors' files, `schedule` maps dates to days, `ledger` records what
was sent, `runner` posts what is due, `subscriptions` and `preview` serve the handlers and the CLI.
"""
