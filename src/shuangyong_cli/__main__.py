from shuangyong_cli.cli.main import main

main()
