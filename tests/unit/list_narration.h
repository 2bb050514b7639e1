/* tests/unit/test_narration.c */
X(test_narration_pages_start_at_sentences)
X(test_narration_every_sentence_of_every_lesson_readable)
