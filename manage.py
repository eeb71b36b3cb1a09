#!/usr/bin/env python
import gc
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qa_portal.settings")
    # Django's start-up makes about 125,000 objects the collector tracks, which live as long as the process.
    # The garbage collector would walk all of them several times while they are made, and again at exit:
    # about a fifth of a short command's CPU (issue 15: a visit report as a command). So it is off while
    # Django starts; the last app's ready() sets what start-up made aside (gc.freeze) and turns it back on
    # (qa_portal.startup.collect_from_here), and what the command made is set aside before exit, where
    # nothing needs collecting.
    gc.disable()
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    finally:
        gc.freeze()


if __name__ == "__main__":
    main()
