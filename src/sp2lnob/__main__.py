from sp2lnob.cli import main

main()
