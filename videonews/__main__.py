from videonews.cli import main

main()
