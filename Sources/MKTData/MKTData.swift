/// Datasets: NUS-WIDE raw layout, generic multi-label lists, the synthetic world.
public enum MKTDataModule {}
