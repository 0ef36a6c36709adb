"""What searching may cost: the bounds every part of search keeps to, in one place (tests
lower them through this module)."""

# What a word in the title and in the text adds to a candidate's score on SQLite (a word only
# in comments adds nothing); PostgreSQL ranks by its labels A (title) and B (text).
TITLE_WEIGHT, TEXT_WEIGHT = 10.0, 4.0
# What one search may use of what a person typed.
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12
# Matches are counted this far at most ("more than 1,000"): counting touches every match.
SEARCH_COUNT_CAP = 1000
# A ranking by relevance looks at this many matches (the newest) at most, and the list by
# relevance ends there (ten pages); the count goes on to SEARCH_COUNT_CAP, and the other
# orders list every match. Each candidate's stems are read to score it (about 7 us on
# SQLite): 200 cost 1.5 ms, 2,000 cost 15 ms.
RANK_CANDIDATES = 200
# Similar ideas rank more candidates: found through rare words, they are scored by short
# walks of the index, and an older idea sharing several rare words is a likely duplicate.
SIMILAR_RANK_CANDIDATES = 2000
# Above this many matches, a list in another order is walked in that order, testing each
# idea; up to it, the matches are read and sorted. (At most SEARCH_COUNT_CAP: it is decided
# from the capped count.)
DENSE_MATCHES = 1000
# Per idea, at most this many characters of each text field and of all comments together
# (in the order they were written) are indexed: an idea with a huge thread costs the same.
FIELD_CHARS = 20_000
COMMENT_CHARS = 100_000
# Similar ideas: how many words of a draft are considered, how many rare ones are searched for,
# and from how many matches on a word it counts as too common to tell ideas apart.
SIMILAR_WORDS = 24
SIMILAR_TERMS = 8
# A candidate is shown only when it shares at least this share of the shorter text's words
# (title and problem, searchable words, one per stem) and at least two of them (one if the
# draft has only one word yet). Measured on the demo data: the pair of approval-chain ideas
# shares 5 words (0.36); every unrelated pair shares at most 3, at most 0.25 ("customer",
# "call", "us"), and most share one word (0.08 to 0.10). The same on both databases: bm25 and
# ts_rank scores are not comparable, shared words are.
SIMILAR_MIN_SHARE = 0.3
SIMILAR_MIN_SHARED = 2
# Candidates read to find ``limit`` above the threshold.
SIMILAR_CANDIDATES = 3
COMMON_WORD_MATCHES = 500
