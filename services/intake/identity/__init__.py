"""The reporter's sealed identity: its retention, its release on approval, the custodian's tool."""
