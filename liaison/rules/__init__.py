"""The liaison app's rules, one module per part: pairings (cadres, pairings, visits), appeals, outreach (legal consultations, policy notices, care, mentoring)."""
