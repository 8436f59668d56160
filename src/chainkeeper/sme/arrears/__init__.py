"""Arrears complaints (违约拖欠中小企业款项登记（投诉）) and reports of irregular charges, fines and levies
(乱收费、乱罚款、乱摊派), under the Regulations on Ensuring Payments to SMEs (保障中小企业款项支付条例, State Council
Decree No. 728 of 2020, revised by Decree No. 802 of 17 March 2025, in force 1 June 2025 — see :mod:`.regulation`).

Pure parts: :mod:`.regulation` (articles and time limits), :mod:`.rules` (eligibility, routing, payment deadlines),
:mod:`.interest` (overdue interest on the LPR table), :mod:`.workflow` (the transition table). Database parts:
:mod:`.models`, :mod:`.scope` (who reads what), :mod:`.service` (filing and the steps), :mod:`.ledger` (statistics,
typical cases), :mod:`.clock` (time limits on the desk's clock). Doors: :mod:`.api`, :mod:`.pages`.
"""
