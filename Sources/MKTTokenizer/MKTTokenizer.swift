/// The CLIP byte-level BPE tokenizer with OpenAI's text cleaning.
public enum MKTTokenizerModule {}
