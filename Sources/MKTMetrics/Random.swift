/// The bootstrap draws from the shared SplitMix64 generator.
@_exported import MKTRandom
