"""Labour brokers (劳务经纪人): who they are, the codes in their links, whom they brought."""
