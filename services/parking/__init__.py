"""netra-parking: the operator's tool for parked messages."""
