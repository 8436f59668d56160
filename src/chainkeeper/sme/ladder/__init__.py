"""The 专精特新 cultivation ladder (优质中小企业梯度培育, 工信部企业〔2022〕63号): innovative SMEs → specialised SMEs
(provincial) → little giants (national). Rules as data (``data/``, :mod:`.rules`), self-assessment, applications
reviewed county → city → province (→ ministry), recognitions with validity and re-review, registry labels,
dashboards by region and key chain, and the key-chain nodes held by ladder SMEs."""
