"""Quizzes: the quiz evening (event mode) and the question of the day in the channels."""
