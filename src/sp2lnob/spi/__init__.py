"""sp2lnob.spi"""
