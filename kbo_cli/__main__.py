from kbo_cli.cli import main

main()
