"""What every request goes through before a view sees it: the client's address behind a trusted
reverse proxy (:mod:`.client_address`), the request-size cap and the cleaning of control
characters from submitted text (:mod:`.guard`), and the login's per-address throttle
(:mod:`.throttle`)."""
