"""Officers' accounts: login, second factor, sessions, invitations, resets, administration."""
