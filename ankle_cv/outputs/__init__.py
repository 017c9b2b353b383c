"""Files written for people to look at: the annotated video and the summary figure."""

from ankle_cv.outputs.page_text import literal_text

literal_text()  # every figure of the package prints text as given: a `$` in a name or a note is not maths
