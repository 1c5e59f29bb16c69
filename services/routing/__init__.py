"""routing: chooses the units and the chain of steps for a complaint by the law, and hands each step on."""
