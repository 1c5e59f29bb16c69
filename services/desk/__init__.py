"""The desk, where units work their cases: the wiring (app, worker, cli, settings, queues, ports) and its feature folders."""
