"""The post checker: required fields and forbidden or flagged wording, from data rules
(``templates/compliance/rules.json``), each with the law it comes from."""
