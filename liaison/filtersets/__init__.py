"""The liaison app's filtersets, one module per part: pairings (cadres, pairings, visits), appeals, outreach (legal consultations, policy notices, care, mentoring)."""
