"""Files written for people to look at: the annotated video and the summary figure."""
