/* tests/unit/test_textfile.c */
X(test_textfile_writes_regular_files)
X(test_textfile_refuses_links_and_devices)
X(test_textfile_lesson_dump_beside_the_lesson)
