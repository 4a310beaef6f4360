from shuangyong_cli.cli import main

main()
