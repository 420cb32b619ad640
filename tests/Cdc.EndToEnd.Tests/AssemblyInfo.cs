// Every test here runs the whole pipeline against the one PostgreSQL server, and chaos restarts it: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
