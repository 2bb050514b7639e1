/* tests/unit/test_claims.c */
X(test_claims_rules_on_measured_figures)
X(test_claims_rules_follow_the_numbers)
X(test_claims_every_claim_has_a_verdict_and_a_decider)
X(test_claims_probes_measure_the_kernel)
