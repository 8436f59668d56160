"""The matching board (供需对接) of issue 13: suppliers' listings and buyers' needs with their visibility, search
(Chinese full text through character bigrams, product code, region, quantity), ranked match suggestions with their
reasons, message threads between buyer and supplier (e-mail through the outbox), and matchmaking events (对接会)
with the matches made and the deals reported."""
