"""itaflow: Thai LAO integrity & transparency report pipeline."""
