/// Which token table the label tokens of a learned prompt (``PromptContextMode/mkt``) read
/// when labels are embedded for scoring.
///
/// The reference trains the whole token table in stage 2 with AdamW's decoupled weight decay,
/// which shrinks every row at every step, `row · Π (1 − lr_t · wd)`, read or not. Its evaluation
/// snapshots the label tokens from the pretrained table before loading the trained one
/// (``pretrained``); its `inference.py` snapshots them after (``decayed``), so label tokens come
/// shrunk, and a label token that is also a context token (`a`, `the`, …) reads the learned
/// context vector. That moves the scores; ``decayed`` reproduces it as a compatibility switch.
public enum LabelSnapshot: String, Codable, Sendable, CaseIterable {
    /// Label tokens read the pretrained table (the reference's evaluation path; the default).
    case pretrained
    /// Label tokens read the table as trained, as the reference's `inference.py` does: rows
    /// scaled by the weight-decay factor the prompt file records (`label_table_decay`),
    /// context tokens replaced by their learned vectors.
    case decayed
}
