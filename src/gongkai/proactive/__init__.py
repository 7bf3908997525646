"""依申请公开转主动公开 (第四十四条): the one place that joins a closed application and the disclosure
register. The two apps are of one layer and import neither the other; this package sits above both
(the layers contract in pyproject.toml), takes the case from ``applications`` and gives the register
plain values (``disclosure.services.document_from_application``). It has no models."""
