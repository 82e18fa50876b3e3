"""sp2lnob.opportunity"""
