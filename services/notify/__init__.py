"""notify: the mails to units and reporters, each sent once, with retries and a parking lot."""
