/// MKTImage draws every random choice from the shared SplitMix64 generator.
@_exported import MKTRandom
