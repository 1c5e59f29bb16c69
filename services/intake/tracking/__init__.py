"""/lacak: the reporter follows the complaint, answers questions and adds evidence."""
