"""sp2lnob.variance"""
