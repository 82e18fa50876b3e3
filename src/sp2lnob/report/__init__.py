"""sp2lnob.report"""
