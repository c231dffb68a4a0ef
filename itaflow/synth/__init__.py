"""Synthetic LAO reports with known ground truth, for accuracy and defect benchmarks.

``records`` draws the truth for real registry LAOs, ``render`` writes it in every
format and layout, ``defects`` plants faults whose findings are known, and
``province`` fills a whole province's inbox for the demo.
"""
