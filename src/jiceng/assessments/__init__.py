"""Assessment campaigns: self-evaluation, county review, city audit, publication and revocation."""
