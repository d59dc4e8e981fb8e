#!/usr/bin/env python3
"""Generate a synthetic IVOA registry, shaped like today's VO, as OAI-PMH pages.

The output is a directory of OAI-PMH 2.0 ListRecords responses
(metadataPrefix ivo_vor): DIR/page-00001.xml, DIR/page-00002.xml, ...
chained with resumptionTokens as a real registry would return them (the last
page carries an empty resumptionToken).  Each record holds one VOResource 1.1
ri:Resource that validates against the project's schema bundles
(oai-pmh-registry.xsd and oai-pmh-registry-prev.xsd).

The resource mix follows the 2020s Registry roughly:

  ~55 %  vs:CatalogService with a tableset (VizieR-like catalogue services
         with cs:ConeSearch and auxiliary TAP capabilities, plus data-centre
         TAP services with many schemas and tables)
  ~12 %  SIA / SSA services (sia:SimpleImageAccess, ssa:SimpleSpectralAccess)
  ~15 %  vs:DataCollection / vs:CatalogResource with a tableset
   ~6 %  vr:Organisation
   ~5 %  vg:Authority
   ~3 %  vstd:Standard
   ~2 %  vg:Registry
  rest   vr:Service and doc:Document

Tables per resource and columns per table are heavy-tailed; the column
counts are then scaled so that the whole registry has about 57 columns per
resource (1.7 million columns for 30,000 resources).  About 0.5 % extra
records are OAI "deleted" headers without metadata.

Only the Python standard library is used, and the output depends on
--seed, --resources and --page-size alone (the same arguments give
byte-identical files).  The records are built by string templating.

A summary is written to DIR/MANIFEST.json and printed at the end.
"""

import argparse
import glob
import json
import math
import os
import random
import sys
import time

COLUMNS_PER_RESOURCE = 1_700_000 / 30_000   # target density of the real VO
MAX_COLUMNS_PER_TABLE = 2000                # heavy tail cap (wide tables exist)
DELETED_FRACTION = 0.005
OAI_BASE_URL = "https://registry.bench.example.org/oai.xml"
RESPONSE_DATE = "2025-06-02T08:00:00Z"
EPOCH_2004 = 1072915200                      # 2004-01-01T00:00:00Z
EPOCH_2025 = 1748736000                      # 2025-06-01T00:00:00Z

NS = {
    "ri": "http://www.ivoa.net/xml/RegistryInterface/v1.0",
    "vr": "http://www.ivoa.net/xml/VOResource/v1.0",
    "vs": "http://www.ivoa.net/xml/VODataService/v1.1",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "vg": "http://www.ivoa.net/xml/VORegistry/v1.0",
    "vstd": "http://www.ivoa.net/xml/StandardsRegExt/v1.0",
    "tr": "http://www.ivoa.net/xml/TAPRegExt/v1.0",
    "cs": "http://www.ivoa.net/xml/ConeSearch/v1.0",
    "sia": "http://www.ivoa.net/xml/SIA/v1.1",
    "ssa": "http://www.ivoa.net/xml/SSA/v1.1",
    "doc": "http://www.ivoa.net/xml/DocRegExt/v1",
}


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(s):
    return esc(s).replace('"', "&quot;")


def ns_decls(prefixes):
    # xmlns="" resets the OAI default namespace: VOResource children are unqualified.
    return 'xmlns="" ' + " ".join(
        'xmlns:%s="%s"' % (p, NS[p]) for p in ("ri", "vr", "vs", "xsi") + tuple(prefixes))


NSDECL_CACHE = {}


def nsdecl(*prefixes):
    d = NSDECL_CACHE.get(prefixes)
    if d is None:
        d = NSDECL_CACHE[prefixes] = ns_decls(prefixes)
    return d


def iso(ts):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


# ---------------------------------------------------------------------------
# word banks
# ---------------------------------------------------------------------------

BIG_CENTRES = [
    # authority, publisher, host, short tag
    ("org.gavo.dc", "The GAVO DC team", "dc.g-vo.org", "GAVO"),
    ("esavo", "ESA Science Data Centre", "archives.esac.esa.int", "ESAC"),
    ("nasa.heasarc", "NASA/GSFC HEASARC", "heasarc.gsfc.nasa.gov", "HEASARC"),
    ("irsa.ipac", "NASA/IPAC Infrared Science Archive", "irsa.ipac.caltech.edu", "IRSA"),
    ("ned.ipac", "NASA/IPAC Extragalactic Database", "ned.ipac.caltech.edu", "NED"),
    ("mast.stsci", "Mikulski Archive for Space Telescopes", "mast.stsci.edu", "MAST"),
    ("cadc.nrc.ca", "Canadian Astronomy Data Centre", "ws.cadc-ccda.hia-iha.nrc-cnrc.gc.ca", "CADC"),
    ("ia2.inaf.it", "INAF - IA2 Data Center", "archives.ia2.inaf.it", "IA2"),
    ("wfau.roe.ac.uk", "WFAU, Institute for Astronomy, Edinburgh", "wfaudata.roe.ac.uk", "WFAU"),
    ("svo.cab", "Spanish Virtual Observatory", "svo2.cab.inta-csic.es", "SVO"),
    ("jvo", "Japanese Virtual Observatory", "jvo.nao.ac.jp", "JVO"),
    ("china-vo.org", "China-VO", "data.china-vo.org", "CVO"),
    ("astron.nl", "ASTRON", "vo.astron.nl", "ASTRON"),
    ("noirlab.edu", "NSF NOIRLab Astro Data Lab", "datalab.noirlab.edu", "DataLab"),
    ("eso.org", "European Southern Observatory", "archive.eso.org", "ESO"),
    ("ssdc.asi.it", "ASI Space Science Data Center", "tools.ssdc.asi.it", "SSDC"),
    ("vo.astronet.ru", "Sternberg Astronomical Institute", "vo.astronet.ru", "SAI"),
    ("padc.obspm", "Paris Astronomical Data Centre", "vo-tap.obspm.fr", "PADC"),
    ("aip.gavo.org", "Leibniz-Institut fuer Astrophysik Potsdam", "gaia.aip.de", "AIP"),
    ("sdss.org", "Sloan Digital Sky Survey", "skyserver.sdss.org", "SDSS"),
    ("vao", "US Virtual Astronomical Observatory", "vao.stsci.edu", "VAO"),
    ("xcatdb", "XMM-Newton Survey Science Centre", "xcatdb.unistra.fr", "SSC"),
    ("ivoa.net", "International Virtual Observatory Alliance", "www.ivoa.net", "IVOA"),
]

INST_WORDS = [
    "astro", "obs", "sternwarte", "iap", "mpia", "mpe", "lam", "oca", "irap",
    "ast", "inaf", "iac", "cab", "ucm", "uv", "ub", "usm", "ari", "zah", "tls",
    "hs", "aip", "lsw", "kapteyn", "leiden", "nbi", "stfc", "mssl", "ucl", "ioa",
    "jbca", "armagh", "dias", "iaa", "csic", "oan", "ieec", "kis", "naoj", "kasi",
    "tifr", "iucaa", "iia", "aries", "saao", "sarao", "icrar", "aao", "csiro",
    "inpe", "iag", "unam", "inaoe", "cfht", "noao", "caltech", "cfa", "stsci",
    "jhu", "ucsc", "uw", "nrao", "gbo", "lco", "ctio", "naoc", "pmo", "shao",
    "ynao", "xao", "nao", "sai", "iki", "bao", "crao", "mao", "kao", "tuorla",
]
COUNTRY_TLDS = [
    "de", "fr", "it", "es", "uk", "nl", "be", "ch", "at", "dk", "se", "fi", "no",
    "pl", "cz", "hu", "pt", "ie", "gr", "ru", "ua", "jp", "kr", "cn", "in", "au",
    "za", "br", "cl", "mx", "ar", "us", "ca", "il", "tr", "ir", "eg", "nz",
]
CITY_NAMES = [
    "Heidelberg", "Strasbourg", "Garching", "Potsdam", "Paris", "Marseille",
    "Toulouse", "Lyon", "Bologna", "Trieste", "Padova", "Madrid", "Granada",
    "Barcelona", "Leiden", "Groningen", "Amsterdam", "Cambridge", "Edinburgh",
    "Manchester", "Copenhagen", "Stockholm", "Helsinki", "Geneva", "Vienna",
    "Prague", "Warsaw", "Moscow", "Tokyo", "Mitaka", "Daejeon", "Beijing",
    "Shanghai", "Pune", "Sydney", "Cape Town", "Santiago", "La Serena",
    "Baltimore", "Pasadena", "Tucson", "Socorro", "Victoria", "Sao Paulo",
]
SURNAMES = [
    "Schmidt", "Mueller", "Dupont", "Martin", "Bernard", "Rossi", "Bianchi",
    "Garcia", "Fernandez", "Lopez", "de Vries", "Jansen", "Smith", "Jones",
    "Taylor", "Brown", "Wilson", "Nielsen", "Andersson", "Virtanen", "Novak",
    "Kowalski", "Ivanov", "Petrov", "Suzuki", "Tanaka", "Kim", "Park", "Wang",
    "Li", "Zhang", "Chen", "Liu", "Sharma", "Gupta", "Singh", "Williams",
    "Johnson", "Miller", "Davis", "Rodriguez", "Silva", "Santos", "Oliveira",
    "Cohen", "Levi", "Yilmaz", "Hoffmann", "Weber", "Wagner", "Becker",
    "Lefebvre", "Moreau", "Laurent", "Ricci", "Romano", "Colombo", "Sanchez",
    "Ramirez", "Ostrowski", "Horvath", "Nagy", "Papadopoulos", "Murphy",
]
INITIALS = "ABCDEFGHIJKLMNOPRSTUVWY"
JOURNALS = [("A+A", 270, 690), ("ApJ", 300, 970), ("MNRAS", 180, 530),
            ("AJ", 80, 168), ("ApJS", 80, 272), ("PASP", 100, 136),
            ("AN", 320, 345), ("A+AS", 60, 147), ("PASJ", 40, 76),
            ("ARA+A", 30, 62), ("Ap+SS", 200, 369), ("RAA", 10, 25)]
JOURNAL_TEXT = {"A+A": "A&amp;A", "A+AS": "A&amp;AS", "ARA+A": "ARA&amp;A",
                "Ap+SS": "Ap&amp;SS"}
VIZIER_CATS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "B"]
OBJECT_CLASSES = [
    "stars", "galaxies", "quasars", "open clusters", "globular clusters",
    "white dwarfs", "variable stars", "binary stars", "exoplanet hosts",
    "young stellar objects", "brown dwarfs", "planetary nebulae", "supernovae",
    "X-ray sources", "radio sources", "galaxy clusters", "AGN", "HII regions",
    "molecular clouds", "asteroids", "comets", "pulsars", "gamma-ray bursts",
    "Cepheids", "RR Lyrae stars", "M dwarfs", "Be stars", "blue stragglers",
    "emission-line galaxies", "Seyfert galaxies", "dwarf galaxies", "masers",
]
SURVEY_WORDS = [
    "photometric", "spectroscopic", "astrometric", "kinematic", "multi-epoch",
    "deep", "wide-field", "near-infrared", "ultraviolet", "mid-infrared",
    "millimetre", "radio continuum", "narrow-band", "time-series", "polarimetric",
    "high-resolution", "low-resolution", "integral-field", "X-ray", "H-alpha",
]
PRODUCT_WORDS = ["catalogue", "survey", "atlas", "census", "sample",
                 "database", "compilation", "study", "monitoring", "release"]
REGIONS = [
    "the Orion Nebula", "the Magellanic Clouds", "the Galactic bulge",
    "the Galactic plane", "M31", "M33", "the Virgo cluster", "the Coma cluster",
    "the Pleiades", "the Hyades", "Taurus-Auriga", "the Chamaeleon complex",
    "the COSMOS field", "the Hubble Deep Field", "the Kepler field",
    "the southern sky", "the northern sky", "the solar neighbourhood",
    "Carina", "Perseus", "Ophiuchus", "the Sculptor group", "NGC 6397",
    "Omega Centauri", "47 Tuc", "the Fornax cluster", "Westerlund 1",
]
SUBJECTS = [
    "Astrometry", "Photometry", "Spectroscopy", "Radial velocity",
    "Stellar astronomy", "Galaxies", "Quasars", "Star clusters",
    "Variable stars", "Binary stars", "Exoplanets", "Interstellar medium",
    "Infrared astronomy", "Radio astronomy", "X-ray astronomy",
    "Ultraviolet astronomy", "Gamma-ray astronomy", "Cosmology",
    "Galaxy clusters", "Stellar populations", "Milky Way Galaxy",
    "Solar system", "Sky surveys", "Proper motions", "Parallax",
    "Redshift surveys", "Stellar abundances", "Effective temperature",
    "Surface gravity", "Light curves", "Active galactic nuclei", "Supernovae",
    "Star formation", "Young stellar objects", "White dwarf stars",
    "Brown dwarfs", "Planetary nebulae", "Pulsars", "Interferometry",
    "Astronomical databases", "Virtual observatories", "Time domain astronomy",
]
WAVEBANDS = ["Radio", "Millimeter", "Infrared", "Optical", "UV", "EUV",
             "X-ray", "Gamma-ray"]
CONTENT_TYPES = ["Catalog", "Survey", "Archive", "Bibliography", "Simulation",
                 "Organisation", "Registry", "Other"]
FACILITIES = ["ESO VLT", "HST", "Gaia", "2MASS", "WISE", "Spitzer", "Herschel",
              "XMM-Newton", "Chandra", "GALEX", "SDSS 2.5m", "Subaru", "Keck",
              "CFHT", "UKIRT", "VISTA", "Pan-STARRS1", "Kepler", "TESS",
              "LAMOST", "ALMA", "VLA", "LOFAR", "Effelsberg 100m", "IRAM 30m",
              "INT", "WHT", "NOT", "Calar Alto 3.5m", "OHP 1.93m", "Schmidt"]
INSTRUMENTS = ["FORS2", "UVES", "X-shooter", "MUSE", "ACS", "WFC3", "NIRSpec",
               "IRAC", "MIPS", "PACS", "EPIC", "ACIS", "MegaCam", "WFCAM",
               "VIRCAM", "HARPS", "FEROS", "ESPaDOnS", "CCD camera", "grism"]
DESC_SENTENCES = [
    "The catalogue contains positions, magnitudes and derived parameters for all detected sources.",
    "Observations were obtained between {y1} and {y2} with {fac}.",
    "Photometry was calibrated against {ref} and is accurate to about {acc} mag.",
    "Astrometry is tied to the Gaia DR3 reference frame (ICRS, epoch J2016.0).",
    "Sources brighter than the saturation limit have been flagged.",
    "We provide radial velocities with a typical precision of {acc} km/s.",
    "Spectral types were assigned by comparison with standard stars.",
    "The completeness limit of the survey is estimated to be {lim} mag.",
    "Cross-identifications with SIMBAD, 2MASS and AllWISE are given where available.",
    "Table {t} lists the individual measurements; the mean values are in table {t2}.",
    "Effective temperatures, surface gravities and metallicities were derived by spectral fitting.",
    "Light curves were analysed with a Lomb-Scargle periodogram to derive periods.",
    "Extinction was corrected using the dust maps of Schlegel et al. (1998).",
    "The data reduction used the standard pipeline with custom flat-fielding.",
    "Redshifts are spectroscopic unless flagged as photometric.",
    "Distances are based on parallaxes and a Bayesian prior (see the paper).",
    "This service exposes the data through TAP and cone search protocols.",
    "Some entries were superseded in a later erratum; see the notes file.",
    "Uncertainties are given at the 1-sigma level.",
    "The sample is restricted to objects with signal-to-noise ratio above {lim}.",
    "Proper motions have been computed from {n} epochs spanning {yrs} years.",
    "Coordinates are given for the equinox J2000 and the observation epoch.",
    "Objects in crowded regions (&lt; 2 arcsec separation) have reduced accuracy.",
    "Data are also available as FITS images and 1D spectra in the archive.",
]
PHOT_REFS = ["Landolt standards", "the 2MASS catalogue", "Pan-STARRS1 DR2",
             "Gaia synthetic photometry", "the SDSS DR17 photometry",
             "Stetson standard fields"]
LICENCES = [
    ("https://creativecommons.org/licenses/by/4.0/", "Creative Commons Attribution 4.0 International (CC BY 4.0)"),
    ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0 Universal Public Domain Dedication"),
    ("https://creativecommons.org/licenses/by-sa/4.0/", "Creative Commons Attribution-ShareAlike 4.0"),
    (None, "Data are public; please cite the original publication."),
]

# ---------------------------------------------------------------------------
# column pool: unique names, realistic description/unit/UCD/datatype
# ---------------------------------------------------------------------------

BANDS = [
    ("U", "U", "em.opt.U"), ("B", "B", "em.opt.B"), ("V", "V", "em.opt.V"),
    ("R", "R", "em.opt.R"), ("I", "I", "em.opt.I"), ("J", "J", "em.IR.J"),
    ("H", "H", "em.IR.H"), ("K", "Ks", "em.IR.K"), ("G", "Gaia G", "em.opt"),
    ("BP", "Gaia BP", "em.opt.B"), ("RP", "Gaia RP", "em.opt.R"),
    ("u", "SDSS u", "em.opt.U"), ("g", "SDSS g", "em.opt.B"),
    ("r", "SDSS r", "em.opt.R"), ("i", "SDSS i", "em.opt.I"),
    ("z", "SDSS z", "em.opt.I"), ("y", "PS1 y", "em.IR.NIR"),
    ("W1", "WISE 3.4 micron", "em.IR.3-4um"), ("W2", "WISE 4.6 micron", "em.IR.4-8um"),
    ("W3", "WISE 12 micron", "em.IR.8-15um"), ("W4", "WISE 22 micron", "em.IR.15-30um"),
    ("FUV", "GALEX FUV", "em.UV.100-200nm"), ("NUV", "GALEX NUV", "em.UV.200-300nm"),
    ("Ha", "H-alpha", "em.opt.R"), ("F606W", "HST F606W", "em.opt"),
    ("F814W", "HST F814W", "em.opt.I"), ("S1_4", "1.4 GHz", "em.radio.750-1500MHz"),
    ("Y", "VISTA Y", "em.IR.NIR"), ("Z", "VISTA Z", "em.opt.I"),
    ("F70", "PACS 70 micron", "em.IR.60-100um"),
]
BAND_VARIANTS = [
    # name, description, unit, ucd, datatype, flag
    ("{b}mag", "{B} magnitude", "mag", "phot.mag;{u}", "float", "nullable"),
    ("e_{b}mag", "Mean error on {B} magnitude", "mag", "stat.error;phot.mag;{u}", "float", "nullable"),
    ("q_{b}mag", "Quality flag on {B} photometry", None, "meta.code.qual;phot.mag;{u}", "char", None),
    ("{b}flux", "{B} flux density", "mJy", "phot.flux.density;{u}", "double", "nullable"),
    ("e_{b}flux", "Error on {B} flux density", "mJy", "stat.error;phot.flux.density;{u}", "double", "nullable"),
    ("{b}apmag", "{B} aperture magnitude (3 arcsec)", "mag", "phot.mag;{u}", "float", "nullable"),
    ("{b}psfmag", "{B} PSF-fitting magnitude", "mag", "phot.mag;{u}", "float", "nullable"),
    ("N{b}", "Number of {B} observations used", None, "meta.number;{u}", "short", None),
]
PHYS = [
    ("Plx", "Parallax", "mas", "pos.parallax.trig", "double"),
    ("pmRA", "Proper motion in RA*cos(Dec)", "mas/yr", "pos.pm;pos.eq.ra", "double"),
    ("pmDE", "Proper motion in Declination", "mas/yr", "pos.pm;pos.eq.dec", "double"),
    ("RV", "Heliocentric radial velocity", "km/s", "spect.dopplerVeloc.opt", "float"),
    ("Teff", "Effective temperature", "K", "phys.temperature.effective", "float"),
    ("logg", "Surface gravity", "[cm/s2]", "phys.gravity", "float"),
    ("FeH", "Metallicity [Fe/H]", "[Sun]", "phys.abund.Fe", "float"),
    ("alphaFe", "Alpha-element enhancement [alpha/Fe]", "[Sun]", "phys.abund", "float"),
    ("z", "Redshift", None, "src.redshift", "double"),
    ("Dist", "Distance", "pc", "pos.distance", "float"),
    ("Mass", "Mass", "solMass", "phys.mass", "float"),
    ("Rad", "Radius", "solRad", "phys.size.radius", "float"),
    ("Lum", "Luminosity", "solLum", "phys.luminosity", "float"),
    ("Age", "Age", "Myr", "time.age", "float"),
    ("Per", "Period", "d", "time.period", "double"),
    ("Amp", "Amplitude of variation", "mag", "src.var.amplitude", "float"),
    ("EW", "Equivalent width", "0.1nm", "spect.line.eqWidth", "float"),
    ("SNR", "Signal-to-noise ratio", None, "stat.snr", "float"),
    ("FWHM", "Full width at half maximum", "arcsec", "phys.angSize", "float"),
    ("Ell", "Ellipticity", None, "src.ellipticity", "float"),
    ("PA", "Position angle (North through East)", "deg", "pos.posAng", "float"),
    ("MJD", "Modified Julian Date of observation", "d", "time.epoch", "double"),
    ("ExpTime", "Exposure time", "s", "time.duration;obs.exposure", "float"),
    ("Sep", "Separation from the target", "arcsec", "pos.angDistance", "float"),
    ("GLON", "Galactic longitude", "deg", "pos.galactic.lon", "double"),
    ("GLAT", "Galactic latitude", "deg", "pos.galactic.lat", "double"),
    ("Av", "Visual extinction", "mag", "phys.absorption.gal", "float"),
    ("EBV", "Colour excess E(B-V)", "mag", "phys.absorption;em.opt.B", "float"),
    ("vsini", "Projected rotational velocity", "km/s", "phys.veloc.rotat", "float"),
    ("Hbeta", "H-beta line flux", "mW/m2", "phot.flux;spect.line", "double"),
    ("Rmag0", "Dereddened R magnitude", "mag", "phot.mag;em.opt.R", "float"),
    ("Mbol", "Bolometric absolute magnitude", "mag", "phys.magAbs.bol", "float"),
    ("logL", "Log of luminosity", "[solLum]", "phys.luminosity", "float"),
    ("SFR", "Star formation rate", "solMass/yr", "phys.SFR", "float"),
    ("Reff", "Effective radius", "kpc", "phys.size.radius", "float"),
    ("Sersic", "Sersic index", None, "src.morph.param", "float"),
    ("HR1", "Hardness ratio 1", None, "phot.flux;arith.ratio", "float"),
    ("Fx", "X-ray flux 0.2-12 keV", "mW/m2", "phot.flux;em.X-ray", "double"),
    ("Lx", "X-ray luminosity", "10-7W", "phys.luminosity;em.X-ray", "double"),
    ("S21", "21 cm integrated flux", "Jy.km/s", "phot.flux;em.line.HI", "float"),
    ("Vmax", "Maximum rotation velocity", "km/s", "phys.veloc.rotat", "float"),
    ("Prob", "Membership probability", "%", "stat.probability", "float"),
    ("Chi2", "Reduced chi-square of the fit", None, "stat.fit.chi2", "float"),
    ("Epoch", "Epoch of the position", "yr", "time.epoch", "double"),
]
PHYS_VARIANTS = [
    ("{n}", "{d}", "{unit}", "{ucd}", "nullable"),
    ("e_{n}", "Mean error on {d_lc}", "{unit}", "stat.error;{ucd}", "nullable"),
    ("E_{n}", "Upper error on {d_lc}", "{unit}", "stat.error;stat.max;{ucd}", None),
    ("l_{n}", "Limit flag on {d_lc}", None, "meta.code.error;{ucd}", None),
    ("r_{n}", "Reference for {d_lc}", None, "meta.ref;{ucd}", None),
]
META_COLS = [
    ("Name", "Designation of the object", None, "meta.id", "char", "*", "indexed"),
    ("SimbadName", "Name used in SIMBAD", None, "meta.id", "char", "32", None),
    ("SpType", "MK spectral type", None, "src.spType", "char", "12", None),
    ("Class", "Morphological class", None, "src.class", "char", "8", None),
    ("Field", "Survey field identifier", None, "meta.id;obs.field", "char", "16", None),
    ("Filter", "Filter name", None, "instr.filter", "char", "8", None),
    ("ObsDate", "Date of observation", None, "time.epoch;obs", "char", "10", None),
    ("Note", "Note on the object", None, "meta.note", "char", "*", None),
    ("Ref", "Bibliographic reference", None, "meta.bib", "char", "19", None),
    ("Comm", "Comments", None, "meta.note", "unicodeChar", "*", None),
    ("Flags", "Processing flags", None, "meta.code", "int", None, None),
    ("Mult", "Multiplicity flag", None, "meta.code.multip", "char", "1", None),
    ("Var", "Variability flag", None, "meta.code.var", "char", "1", None),
    ("Seq", "Sequential number", None, "meta.id", "int", None, "primary"),
]
POS_COLS_VIZIER = [
    ("recno", "Record number assigned by the VizieR team", None, "meta.record", "int", None, "primary"),
    ("RAJ2000", "Right ascension (ICRS) at Epoch=J2000", "deg", "pos.eq.ra;meta.main", "double", None, "indexed"),
    ("DEJ2000", "Declination (ICRS) at Epoch=J2000", "deg", "pos.eq.dec;meta.main", "double", None, "indexed"),
]
POS_COLS_TAP = [
    ("source_id", "Unique source identifier", None, "meta.id;meta.main", "long", None, "primary"),
    ("ra", "ICRS right ascension", "deg", "pos.eq.ra;meta.main", "double", None, "indexed"),
    ("dec", "ICRS declination", "deg", "pos.eq.dec;meta.main", "double", None, "indexed"),
]
EPOCH_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth",
               "seventh", "eighth", "ninth", "tenth"]


def column_xml(name, desc, unit, ucd, dtype, arraysize, flag):
    parts = ["<column><name>", name, "</name><description>", desc, "</description>"]
    if unit:
        parts += ["<unit>", unit, "</unit>"]
    if ucd:
        parts += ["<ucd>", ucd, "</ucd>"]
    if arraysize:
        parts += ['<dataType xsi:type="vs:VOTableType" arraysize="', arraysize, '">', dtype, "</dataType>"]
    else:
        parts += ['<dataType xsi:type="vs:VOTableType">', dtype, "</dataType>"]
    if flag:
        parts += ["<flag>", flag, "</flag>"]
    parts.append("</column>\n")
    return "".join(parts)


def build_column_pool(rng, size):
    base = []
    for b, bdesc, ucdband in BANDS:
        for name, desc, unit, ucd, dtype, flag in BAND_VARIANTS:
            asz = "1" if dtype == "char" else None
            base.append((name.format(b=b), desc.format(B=bdesc), unit,
                         ucd.format(u=ucdband), dtype, asz, flag))
    for n, d, unit, ucd, dtype in PHYS:
        for vn, vd, vunit, vucd, flag in PHYS_VARIANTS:
            is_meta = vn.startswith(("l_", "r_"))
            base.append((vn.format(n=n), esc(vd.format(d=d, d_lc=d[0].lower() + d[1:])),
                         None if is_meta else unit, vucd.format(ucd=ucd),
                         "char" if is_meta else dtype,
                         ("1" if vn.startswith("l_") else "*") if is_meta else None, flag))
    for c in META_COLS:
        base.append(c)
    rng.shuffle(base)
    pool = []
    k = 0
    while len(pool) < size:
        for name, desc, unit, ucd, dtype, asz, flag in base:
            if k == 0:
                pool.append(column_xml(name, desc, unit, ucd, dtype, asz, flag))
            else:
                ep = EPOCH_WORDS[k - 1] if k <= len(EPOCH_WORDS) else "epoch %d" % (k + 1)
                pool.append(column_xml("%s_%d" % (name, k + 1), "%s (%s measurement)" % (desc, ep),
                                       unit, ucd, dtype, asz, flag))
            if len(pool) >= size:
                break
        k += 1
    return pool


# ---------------------------------------------------------------------------
# the registry plan
# ---------------------------------------------------------------------------

class Plan:
    """All random decisions for one resource (tables are filled in later)."""
    __slots__ = ("kind", "ivoid", "auth", "created", "updated", "tables",
                 "extra", "status")

    def __init__(self, kind, ivoid, auth):
        self.kind = kind
        self.ivoid = ivoid
        self.auth = auth
        self.tables = None      # list of [schema_name, table_name, ncols]
        self.extra = {}
        self.status = "active"


def pareto_int(rng, alpha, scale=1.0, cap=None):
    v = int(scale * rng.paretovariate(alpha))
    if cap is not None and v > cap:
        v = cap
    return max(1, v)


def lognormal_cols(rng):
    # median ~12 columns, heavy right tail; a few very wide tables
    c = int(rng.lognormvariate(math.log(12.0), 1.05)) + 1
    if rng.random() < 0.01:
        c += int(rng.paretovariate(1.2) * 80)
    return min(c, MAX_COLUMNS_PER_TABLE)


class Generator:
    def __init__(self, seed, n_resources, page_size):
        self.rng = random.Random(seed)
        # spatial coverage MOCs (orders 6-10) come from their own generator, so the rest of
        # the corpus stays what it was before MOCs were added
        self.moc_rng = random.Random(seed * 7919 + 17)
        self.n = n_resources
        self.page_size = page_size
        self.ivoids = set()
        self.vizier_ids = set()

    # -- identifiers ---------------------------------------------------------
    def unique(self, ivoid):
        if ivoid not in self.ivoids:
            self.ivoids.add(ivoid)
            return ivoid
        k = 2
        while "%s-%d" % (ivoid, k) in self.ivoids:
            k += 1
        ivoid = "%s-%d" % (ivoid, k)
        self.ivoids.add(ivoid)
        return ivoid

    def make_authorities(self, count):
        rng = self.rng
        auths = [c[0] for c in BIG_CENTRES]
        seen = set(auths)
        while len(auths) < count:
            w = rng.choice(INST_WORDS)
            t = rng.choice(COUNTRY_TLDS)
            form = rng.random()
            if form < 0.4:
                a = "%s.%s" % (w, t)
            elif form < 0.7:
                a = "%s.%s.%s" % (rng.choice(["vo", "data", "archive", "dc", "db"]), w, t)
            else:
                a = "%s-%s.%s" % (w, rng.choice(CITY_NAMES).lower().replace(" ", ""), t)
            if a in seen:
                a = "%s%d" % (a, len(auths))
            seen.add(a)
            auths.append(a)
        return auths

    def vizier_id(self):
        rng = self.rng
        while True:
            if rng.random() < 0.82:
                j, lo, hi = rng.choice(JOURNALS)
                vol = rng.randint(lo, hi)
                if j == "A+A" and rng.random() < 0.6:
                    page = "A%d" % rng.randint(1, 180)
                else:
                    page = str(rng.randint(1, 4000))
                path = "J/%s/%d/%s" % (j, vol, page)
                cite = "%s %d, %s" % (JOURNAL_TEXT.get(j, j), vol, page)
            else:
                cat = rng.choice(VIZIER_CATS)
                path = "%s/%d" % (cat, rng.randint(1, 380))
                cite = None
            if path not in self.vizier_ids:
                self.vizier_ids.add(path)
                return path, cite

    # -- planning --------------------------------------------------------------
    def plan(self):
        rng = self.rng
        n = self.n
        # counts per kind (rest -> vr:Service / doc:Document)
        shares = [("catsvc", 0.55), ("siassa", 0.12), ("datacoll", 0.15),
                  ("org", 0.06), ("authority", 0.05), ("standard", 0.03),
                  ("registry", 0.02)]
        counts = {k: int(round(n * s)) for k, s in shares}
        rest = n - sum(counts.values())
        if rest < 0:                      # tiny runs: trim the biggest group
            counts["catsvc"] += rest
            rest = 0
        counts["service"] = (rest + 1) // 2
        counts["document"] = rest // 2

        n_auth = max(counts["authority"], counts["registry"], 1)
        self.authorities = self.make_authorities(max(n_auth, len(BIG_CENTRES)))
        auths = self.authorities
        big = [c[0] for c in BIG_CENTRES if c[0] != "ivoa.net"]
        small = auths[len(BIG_CENTRES):] or big

        def pick_dc_auth():
            return rng.choice(big) if rng.random() < 0.6 else rng.choice(small)

        plans = []

        # vs:CatalogService: ~88 % VizieR-like, the rest data-centre TAP services
        for _ in range(counts["catsvc"]):
            if rng.random() < 0.88:
                path, cite = self.vizier_id()
                p = Plan("vizier", self.unique("ivo://cds.vizier/" + path), "cds.vizier")
                p.extra["path"] = path
                p.extra["cite"] = cite
                nt = pareto_int(rng, 1.45, cap=400)
                p.tables = [[path, "%s/%s" % (path, self.vizier_table_name(i)), lognormal_cols(rng)]
                            for i in range(nt)]
            else:
                auth = pick_dc_auth()
                sname = self.schema_word()
                p = Plan("tapsvc", self.unique("ivo://%s/%s/q" % (auth, sname)), auth)
                p.extra["schema"] = sname
                nt = pareto_int(rng, 1.05, scale=4.0, cap=1200)
                p.tables = self.tap_tables(sname, nt)
            plans.append(p)

        # SIA / SSA services; about half expose an ObsCore-ish table
        for _ in range(counts["siassa"]):
            auth = pick_dc_auth()
            sname = self.schema_word()
            kind = "sia" if rng.random() < 0.6 else "ssa"
            p = Plan(kind, self.unique("ivo://%s/%s/%s" % (auth, sname, "siap" if kind == "sia" else "ssap")), auth)
            p.extra["schema"] = sname
            if rng.random() < 0.5:
                p.tables = [[sname, "%s.%s" % (sname, "main" if kind == "sia" else "ssa_meta"),
                             lognormal_cols(rng) + 20]]
            plans.append(p)

        # vs:DataCollection / vs:CatalogResource
        for _ in range(counts["datacoll"]):
            auth = pick_dc_auth()
            sname = self.schema_word()
            kind = "collection" if rng.random() < 0.5 else "catres"
            p = Plan(kind, self.unique("ivo://%s/%s" % (auth, sname)), auth)
            p.extra["schema"] = sname
            nt = pareto_int(rng, 1.4, cap=300)
            p.tables = self.tap_tables(sname, nt)
            plans.append(p)

        # vr:Organisation: one per authority first, then extra ones
        for i in range(counts["org"]):
            auth = auths[i % len(auths)]
            sfx = "org" if i < len(auths) else "org%d" % (i // len(auths) + 1)
            plans.append(Plan("org", self.unique("ivo://%s/%s" % (auth, sfx)), auth))

        # vg:Authority: one per authority
        for i in range(counts["authority"]):
            auth = auths[i % len(auths)]
            plans.append(Plan("authority", self.unique("ivo://%s" % auth), auth))

        # vstd:Standard
        std_names = ["TAP", "SIA", "SSA", "ConeSearch", "ADQL", "VOSI", "UWS",
                     "DataLink", "SODA", "ObsCore", "RegTAP", "VOTable",
                     "VOResource", "VODataService", "TAPRegExt", "SimDAL",
                     "EPNTAP", "MOC", "STC", "SLAP", "DocRegExt", "HiPS",
                     "VOEvent", "SAMP", "Units", "UCD", "ProvTAP", "CAOM"]
        for i in range(counts["standard"]):
            if i < len(std_names):
                ivoid = "ivo://ivoa.net/std/%s" % std_names[i]
                auth = "ivoa.net"
            else:
                auth = rng.choice(auths)
                ivoid = "ivo://%s/std/%s-%s" % (auth, rng.choice(std_names).lower(),
                                               rng.choice(["ext", "profile", "local", "draft", "note"]))
            p = Plan("standard", self.unique(ivoid), auth)
            p.extra["name"] = std_names[i % len(std_names)]
            plans.append(p)

        # vg:Registry: a few full searchable ones expose RegTAP-like tables
        reg_auths = small if len(small) >= counts["registry"] else auths
        for i in range(counts["registry"]):
            auth = reg_auths[i % len(reg_auths)]
            p = Plan("registry", self.unique("ivo://%s/registry" % auth), auth)
            p.extra["full"] = rng.random() < 0.15
            if p.extra["full"]:
                p.tables = self.tap_tables("rr", 18)
            plans.append(p)

        for _ in range(counts["service"]):
            auth = pick_dc_auth()
            plans.append(Plan("service", self.unique("ivo://%s/web/%s" % (auth, self.schema_word())), auth))
        for _ in range(counts["document"]):
            auth = rng.choice(big + ["ivoa.net"])
            plans.append(Plan("document", self.unique("ivo://%s/doc/%s" % (auth, self.schema_word())), auth))

        # dates, status
        for p in plans:
            created = rng.randint(EPOCH_2004, EPOCH_2025 - 86400 * 30)
            # many records are touched again years later (schema migrations etc.)
            updated = created if rng.random() < 0.2 else rng.randint(created, EPOCH_2025)
            p.created = created - created % 60 if rng.random() < 0.5 else created - created % 86400
            p.updated = max(updated, p.created)
            if rng.random() < 0.02:
                p.status = "inactive"

        rng.shuffle(plans)
        self.scale_columns(plans)
        return plans

    def schema_word(self):
        rng = self.rng
        a = rng.choice(["gaia", "twomass", "wise", "sdss", "ppmx", "ucac", "hsc",
                        "kids", "vhs", "des", "lamost", "rave", "galah", "apogee",
                        "califa", "manga", "hipparcos", "tycho", "carmenes", "harps",
                        "muse", "califa", "flash", "lofar", "nvss", "first", "rosat",
                        "xmm", "chandra", "swift", "fermi", "ztf", "atlas", "ogle",
                        "macho", "kepler", "tess", "plato", "euclid", "dr", "obscore",
                        "ivoa", "cat", "arigfh", "hsoy", "emi", "spectra", "images",
                        "plates", "dfbs", "amanda", "lightmeter", "califadr3", "mlqso"])
        return "%s%d" % (a, rng.randint(1, 99999))

    def vizier_table_name(self, i):
        if i == 0:
            return "table1" if self.rng.random() < 0.5 else "catalog"
        return "table%d" % (i + 1) if self.rng.random() < 0.8 else "tab%d" % (i + 1)

    def tap_tables(self, sname, nt):
        rng = self.rng
        names = ["main", "sources", "obs", "epochs", "lightcurves", "spectra",
                 "photometry", "xmatch", "fields", "images", "detections",
                 "objects", "columns", "params", "lines", "members"]
        out = []
        nschemas = 1 if nt < 8 else min(1 + nt // 10, 40)
        for i in range(nt):
            s = sname if nschemas == 1 or i % nschemas == 0 else "%s_%d" % (sname, i % nschemas)
            t = names[i] if i < len(names) else "%s_%d" % (rng.choice(names), i)
            out.append([s, "%s.%s" % (s, t), lognormal_cols(rng)])
        return out

    def scale_columns(self, plans):
        target = int(round(self.n * COLUMNS_PER_RESOURCE))
        tables = [t for p in plans if p.tables for t in p.tables]
        if not tables:
            return
        for _ in range(4):
            total = sum(t[2] for t in tables)
            if total == 0 or abs(total - target) <= target * 0.002:
                break
            f = target / total
            for t in tables:
                t[2] = max(1, min(MAX_COLUMNS_PER_TABLE, int(round(t[2] * f))))

    # -- rendering -------------------------------------------------------------
    def render_all(self, plans, outdir):
        rng = self.rng
        self.pool = build_column_pool(rng, MAX_COLUMNS_PER_TABLE + 200)
        pool = self.pool
        npool = len(pool)
        self.pos_vizier = [column_xml(*c) for c in POS_COLS_VIZIER]
        self.pos_tap = [column_xml(*c) for c in POS_COLS_TAP]

        # interleave deleted headers (~0.5 %)
        n_del = int(round(len(plans) * DELETED_FRACTION))
        deleted_at = set(rng.sample(range(len(plans) + n_del), n_del)) if n_del else set()
        total_records = len(plans) + n_del

        for f in glob.glob(os.path.join(outdir, "page-*.xml")):
            os.remove(f)

        totals = {"resources": len(plans), "deleted": n_del, "records": total_records,
                  "tables": 0, "columns": 0, "bytes": 0, "pages": 0,
                  "by_type": {}, "by_kind": {}, "capabilities": 0, "max_columns_per_resource": 0,
                  "max_tables_per_resource": 0, "inactive": 0,
                  "active_tables": 0, "active_columns": 0}
        n_pages = (total_records + self.page_size - 1) // self.page_size
        it = iter(plans)
        del_counter = 0
        cursor = 0
        for page in range(1, n_pages + 1):
            parts = [self.page_head(page)]
            for idx in range(cursor, min(cursor + self.page_size, total_records)):
                if idx in deleted_at:
                    del_counter += 1
                    parts.append(self.deleted_record(del_counter))
                    continue
                p = next(it)
                rec, ntab, ncol, ncap = self.render(p, pool, npool)
                parts.append(rec)
                totals["tables"] += ntab
                totals["columns"] += ncol
                totals["capabilities"] += ncap
                if p.status == "active":
                    totals["active_tables"] += ntab
                    totals["active_columns"] += ncol
                else:
                    totals["inactive"] += 1
                totals["max_columns_per_resource"] = max(totals["max_columns_per_resource"], ncol)
                totals["max_tables_per_resource"] = max(totals["max_tables_per_resource"], ntab)
                totals["by_type"][p.extra["xsitype"]] = totals["by_type"].get(p.extra["xsitype"], 0) + 1
                totals["by_kind"][p.kind] = totals["by_kind"].get(p.kind, 0) + 1
            cursor = min(cursor + self.page_size, total_records)
            if page < n_pages:
                parts.append('<resumptionToken completeListSize="%d" cursor="%d">%s</resumptionToken>\n'
                             % (total_records, (page - 1) * self.page_size, self.token(page + 1)))
            else:
                parts.append('<resumptionToken completeListSize="%d" cursor="%d"/>\n'
                             % (total_records, (page - 1) * self.page_size))
            parts.append("</ListRecords>\n</OAI-PMH>\n")
            data = "".join(parts).encode("utf-8")
            with open(os.path.join(outdir, "page-%05d.xml" % page), "wb") as fh:
                fh.write(data)
            totals["bytes"] += len(data)
            totals["pages"] += 1
        return totals

    def token(self, page):
        return "ivo_vor.ivo_managed.%d.%d.bench" % ((page - 1) * self.page_size, page)

    def page_head(self, page):
        if page == 1:
            req = '<request verb="ListRecords" metadataPrefix="ivo_vor" set="ivo_managed">%s</request>' % OAI_BASE_URL
        else:
            req = '<request verb="ListRecords" resumptionToken="%s">%s</request>' % (self.token(page), OAI_BASE_URL)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ '
                'http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">\n'
                '<responseDate>%s</responseDate>\n%s\n<ListRecords>\n' % (RESPONSE_DATE, req))

    def deleted_record(self, k):
        rng = self.rng
        auth = rng.choice(self.authorities)
        ts = rng.randint(EPOCH_2025 - 86400 * 700, EPOCH_2025)
        return ('<record><header status="deleted"><identifier>ivo://%s/withdrawn/res%d</identifier>'
                '<datestamp>%s</datestamp><setSpec>ivo_managed</setSpec></header></record>\n'
                % (auth, k, iso(ts)))

    # -- pieces ----------------------------------------------------------------
    def person(self):
        rng = self.rng
        return "%s, %s." % (rng.choice(SURNAMES), rng.choice(INITIALS))

    def title_for(self, p):
        rng = self.rng
        w = rng.choice(SURVEY_WORDS)
        pr = rng.choice(PRODUCT_WORDS)
        oc = rng.choice(OBJECT_CLASSES)
        if rng.random() < 0.5:
            t = "%s%s %s of %s in %s" % (w[0].upper(), w[1:], pr, oc, rng.choice(REGIONS))
        else:
            t = "%s%s %s of %s" % (w[0].upper(), w[1:], pr, oc)
        if p.kind == "vizier":
            t += " (%s+, %d)" % (rng.choice(SURNAMES), rng.randint(1990, 2024))
        return t

    def description(self, extra_sentences=0):
        rng = self.rng
        n = rng.randint(2, 6) + extra_sentences
        out = []
        for s in rng.sample(DESC_SENTENCES, n):
            y1 = rng.randint(1985, 2018)
            out.append(s.format(y1=y1, y2=y1 + rng.randint(1, 6), fac=rng.choice(FACILITIES),
                                ref=rng.choice(PHOT_REFS), acc="0.0%d" % rng.randint(1, 9),
                                lim=rng.randint(14, 24), t=1, t2=2, n=rng.randint(2, 40),
                                yrs=rng.randint(2, 60)))
        if rng.random() < 0.15:
            out.append("Temperatures are given in Kelvin; wavelengths in \u00c5ngstr\u00f6m (\u00c5) or \u00b5m.")
        return " ".join(out)

    def centre(self, auth):
        for c in BIG_CENTRES:
            if c[0] == auth:
                return c
        host = ("vo.%s" % auth) if "." in auth else ("vo.%s.org" % auth)
        return (auth, "Data centre %s" % auth, host, auth.split(".")[0].upper())

    def curation(self, p, publisher, host, org_ivoid):
        rng = self.rng
        parts = ['<curation><publisher ivo-id="%s">%s</publisher>' % (org_ivoid, publisher)]
        for _ in range(1 if p.kind in ("org", "authority", "registry") else rng.randint(1, 4)):
            parts.append("<creator><name>%s</name></creator>" % self.person())
        if rng.random() < 0.2:
            parts.append("<contributor>%s</contributor>" % self.person())
        parts.append('<date role="Created">%s</date>' % iso(p.created))
        if p.updated != p.created:
            parts.append('<date role="Updated">%s</date>' % iso(p.updated))
        if rng.random() < 0.4:
            parts.append("<version>%d.%d</version>" % (rng.randint(1, 5), rng.randint(0, 9)))
        parts.append("<contact><name>%s support team</name><address>%s</address>"
                     "<email>help@%s</email>" % (publisher.split(",")[0], rng.choice(CITY_NAMES), host))
        if rng.random() < 0.3:
            parts.append("<telephone>+%d %d %d</telephone>" % (rng.randint(1, 99), rng.randint(10, 999),
                                                               rng.randint(100000, 9999999)))
        parts.append("</contact></curation>\n")
        return "".join(parts)

    def content(self, p, host, ctype, level, extra="", desc=None):
        rng = self.rng
        if p.kind in ("org", "authority", "registry", "standard"):
            subj = [rng.choice(["Virtual observatories", "Astronomical databases"])]
        else:
            subj = rng.sample(SUBJECTS, rng.randint(1, 4))
        parts = ["<content>"]
        for s in subj:
            parts.append("<subject>%s</subject>" % s)
        parts.append("<description>%s</description>" % (desc or self.description(2 if p.kind == "vizier" else 0)))
        if p.kind == "vizier" and p.extra.get("cite"):
            # bibcode, e.g. 2017A&A...601A..12S
            _, jour, vol, page = p.extra["path"].split("/")
            jour = jour.replace("+", "&")
            q, num = (page[0], page[1:]) if page[0].isalpha() else (".", page)
            bib = "%d%s%s%s%s%s" % (rng.randint(1995, 2024), jour[:5].ljust(5, "."), vol[-4:].rjust(4, "."),
                                    q, num[-4:].rjust(4, "."), rng.choice(INITIALS))
            parts.append('<source format="bibcode">%s</source>' % esc(bib))
        if p.kind == "vizier":
            parts.append("<referenceURL>https://cdsarc.cds.unistra.fr/viz-bin/cat/%s</referenceURL>" % p.extra["path"])
        else:
            parts.append("<referenceURL>https://%s/%s</referenceURL>" % (
                host, p.ivoid.split("/", 3)[3] if p.ivoid.count("/") > 2 else "about"))
        if ctype:
            for t in ctype:
                parts.append("<type>%s</type>" % t)
        for lv in level:
            parts.append("<contentLevel>%s</contentLevel>" % lv)
        parts.append(extra)
        parts.append("</content>\n")
        return "".join(parts)

    def rights(self):
        url, text = self.rng.choice(LICENCES)
        if url:
            return '<rights rightsURI="%s">%s</rights>\n' % (url, text)
        return "<rights>%s</rights>\n" % text

    def vosi(self, base):
        return "".join(
            '<capability standardID="ivo://ivoa.net/std/VOSI#%s"><interface xsi:type="vs:ParamHTTP">'
            '<accessURL use="full">%s/%s</accessURL></interface></capability>\n' % (what, base, what)
            for what in ("availability", "capabilities", "tables"))

    def tap_cap(self, base, aux=False, obscore=False):
        rng = self.rng
        if aux:
            # TAPRegExt restricts tr:TableAccess/@standardID to plain IVOIDs, so
            # auxiliary TAP capabilities (DALI "#aux") are plain vr:Capability
            return ('<capability standardID="ivo://ivoa.net/std/TAP#aux">'
                    '<interface role="std" xsi:type="vs:ParamHTTP" version="1.0">'
                    '<accessURL use="base">%s</accessURL></interface></capability>\n' % base)
        parts = ['<capability standardID="ivo://ivoa.net/std/TAP" xsi:type="tr:TableAccess">'
                 '<interface role="std" xsi:type="vs:ParamHTTP" version="1.%d"><accessURL use="base">%s</accessURL></interface>'
                 % (rng.randint(0, 1), base)]
        if obscore:
            parts.append('<dataModel ivo-id="ivo://ivoa.net/std/ObsCore#core-1.1">ObsCore-1.1</dataModel>')
        parts.append('<language><name>ADQL</name><version ivo-id="ivo://ivoa.net/std/ADQL#v2.0">2.0</version>'
                     '<description>The Astronomical Data Query Language</description>'
                     '<languageFeatures type="ivo://ivoa.net/std/TAPRegExt#features-adqlgeo">'
                     '<feature><form>POINT</form></feature><feature><form>CIRCLE</form></feature>'
                     '<feature><form>CONTAINS</form></feature><feature><form>DISTANCE</form></feature>'
                     '</languageFeatures></language>'
                     '<outputFormat ivo-id="ivo://ivoa.net/std/TAPRegExt#output-votable-binary">'
                     '<mime>application/x-votable+xml</mime><alias>votable</alias></outputFormat>'
                     '<outputFormat><mime>text/csv;header=present</mime><alias>csv</alias></outputFormat>'
                     '<uploadMethod ivo-id="ivo://ivoa.net/std/TAPRegExt#upload-inline"/>'
                     '<retentionPeriod><default>172800</default></retentionPeriod>'
                     '<executionDuration><default>%d</default></executionDuration>'
                     '<outputLimit><default unit="row">%d</default><hard unit="row">%d</hard></outputLimit>'
                     '<uploadLimit><hard unit="byte">100000000</hard></uploadLimit></capability>\n'
                     % (rng.choice([60, 600, 3600, 7200]), rng.choice([2000, 10000, 20000]),
                        rng.choice([1000000, 16000000, 100000000])))
        return "".join(parts)

    def cone_cap(self, url, desc=None):
        rng = self.rng
        d = "<description>%s</description>" % desc if desc else ""
        return ('<capability standardID="ivo://ivoa.net/std/ConeSearch" xsi:type="cs:ConeSearch">%s'
                '<interface role="std" xsi:type="vs:ParamHTTP"><accessURL use="base">%s</accessURL>'
                '<queryType>GET</queryType><resultType>application/x-votable+xml</resultType>'
                '<param std="true"><name>RA</name><description>Right Ascension (ICRS, decimal degrees)</description>'
                '<unit>deg</unit><ucd>pos.eq.ra;meta.main</ucd><dataType>double</dataType></param>'
                '<param std="true"><name>DEC</name><description>Declination (ICRS, decimal degrees)</description>'
                '<unit>deg</unit><ucd>pos.eq.dec;meta.main</ucd><dataType>double</dataType></param>'
                '<param std="true"><name>SR</name><description>Search radius (decimal degrees)</description>'
                '<unit>deg</unit><dataType>double</dataType></param></interface>'
                '<maxSR>%d</maxSR><maxRecords>%d</maxRecords><verbosity>true</verbosity>'
                '<testQuery><ra>%.4f</ra><dec>%.4f</dec><sr>0.1</sr></testQuery></capability>\n'
                % (d, url, rng.choice([1, 5, 10, 180]), rng.choice([10000, 50000, 1000000]),
                   rng.uniform(0, 360), rng.uniform(-90, 90)))

    def sia_cap(self, url):
        rng = self.rng
        return ('<capability standardID="ivo://ivoa.net/std/SIA" xsi:type="sia:SimpleImageAccess">'
                '<interface role="std" xsi:type="vs:ParamHTTP" version="1.0"><accessURL use="base">%s</accessURL>'
                '<queryType>GET</queryType><resultType>application/x-votable+xml</resultType></interface>'
                '<imageServiceType>%s</imageServiceType>'
                '<maxQueryRegionSize><long>360</long><lat>180</lat></maxQueryRegionSize>'
                '<maxImageExtent><long>%d</long><lat>%d</lat></maxImageExtent>'
                '<maxImageSize>%d</maxImageSize><maxFileSize>%d</maxFileSize><maxRecords>%d</maxRecords>'
                '<testQuery><pos><long>%.3f</long><lat>%.3f</lat></pos><size><long>0.1</long><lat>0.1</lat></size></testQuery>'
                '</capability>\n'
                % (url, rng.choice(["Pointed", "Cutout", "Mosaic", "Atlas"]), rng.randint(1, 30),
                   rng.randint(1, 30), rng.choice([2048, 4096, 10000, 20000]),
                   rng.choice([10000000, 2000000000]), rng.choice([10000, 100000]),
                   rng.uniform(0, 360), rng.uniform(-90, 90)))

    def sia2_cap(self, url):
        return ('<capability standardID="ivo://ivoa.net/std/SIA#query-2.0">'
                '<interface role="std" xsi:type="vs:ParamHTTP" version="2.0"><accessURL use="base">%s</accessURL>'
                '</interface></capability>\n' % url)

    def ssa_cap(self, url):
        rng = self.rng
        return ('<capability standardID="ivo://ivoa.net/std/SSA" xsi:type="ssa:SimpleSpectralAccess">'
                '<interface role="std" xsi:type="vs:ParamHTTP" version="1.1"><accessURL use="base">%s</accessURL>'
                '<queryType>GET</queryType><resultType>application/x-votable+xml</resultType></interface>'
                '<complianceLevel>%s</complianceLevel><dataSource>%s</dataSource><creationType>%s</creationType>'
                '<supportedFrame>ICRS</supportedFrame><maxSearchRadius>%d</maxSearchRadius>'
                '<maxRecords>%d</maxRecords><defaultMaxRecords>%d</defaultMaxRecords>'
                '<maxAperture>%.4f</maxAperture>'
                '<testQuery><pos><long>%.3f</long><lat>%.3f</lat><refframe>ICRS</refframe></pos>'
                '<size>0.1</size><queryDataCmd>REQUEST=queryData&amp;FORMAT=votable</queryDataCmd></testQuery>'
                '</capability>\n'
                % (url, rng.choice(["query", "minimal", "full"]),
                   rng.choice(["survey", "pointed", "custom", "theory"]),
                   rng.choice(["archival", "cutout", "spectralExtraction"]),
                   rng.choice([1, 10, 90, 180]), rng.choice([10000, 1000000]),
                   rng.choice([100, 1000, 10000]), rng.uniform(0.0001, 0.01),
                   rng.uniform(0, 360), rng.uniform(-90, 90)))

    def browser_cap(self, url):
        return ('<capability><interface xsi:type="vr:WebBrowser"><accessURL use="full">%s</accessURL>'
                '</interface></capability>\n' % url)

    def moc(self):
        """An ASCII MOC of order 6-10: a few compact blobs (runs of NESTED cells are compact
        on the sky), some at a lower order."""
        r = self.moc_rng
        order = r.randint(6, 10)
        groups = {}
        for _ in range(r.randint(1, 4)):
            o = order - r.choice([0, 0, 1, 2])
            start = r.randrange(12 * 4 ** o)
            n = min(r.randint(1, 4 ** max(0, o - 5)), 12 * 4 ** o - start)
            groups.setdefault(o, []).append((start, start + n - 1))
        parts = []
        for o in sorted(groups):
            rs = sorted(groups[o])
            parts.append("%d/%s" % (o, " ".join("%d-%d" % (a, b) if b > a else "%d" % a for a, b in rs)))
        if order not in groups:
            parts.append("%d/" % order)
        return " ".join(parts)

    def coverage(self, force=False):
        rng = self.rng
        if not force and rng.random() < 0.55:
            # about half of all resources carry a MOC: some without other coverage
            if self.moc_rng.random() < 0.4:
                return "<coverage><spatial>%s</spatial></coverage>\n" % self.moc()
            return ""
        parts = ["<coverage>"]
        if rng.random() < 0.6:
            order = rng.randint(2, 6)
            rng.sample(range(12 * 4 ** order), rng.randint(1, 12))  # the draws of the former MOCs
            parts.append('<spatial>%s</spatial>' % self.moc())
        elif self.moc_rng.random() < 0.4:
            parts.append('<spatial>%s</spatial>' % self.moc())
        if rng.random() < 0.5:
            t0 = rng.uniform(40000, 59000)
            parts.append("<temporal>%.1f %.1f</temporal>" % (t0, t0 + rng.uniform(1, 5000)))
        if rng.random() < 0.4:
            s0 = 10 ** rng.uniform(-10, -3)
            parts.append("<spectral>%.4g %.4g</spectral>" % (s0, s0 * rng.uniform(1.2, 10)))
        for wb in sorted(set(rng.choice(WAVEBANDS) for _ in range(rng.randint(1, 3))), key=WAVEBANDS.index):
            parts.append("<waveband>%s</waveband>" % wb)
        parts.append("</coverage>\n")
        return "".join(parts)

    def tableset(self, p, pool, npool):
        """Returns (xml, ntables, ncolumns)."""
        rng = self.rng
        pos = self.pos_vizier if p.kind == "vizier" else self.pos_tap
        out = ["<tableset>"]
        ncols_total = 0
        cur_schema = None
        by_schema = {}
        order = []
        for s, t, n in p.tables:
            if s not in by_schema:
                by_schema[s] = []
                order.append(s)
            by_schema[s].append((t, n))
        for s in order:
            out.append("<schema><name>%s</name>" % s)
            if rng.random() < 0.5:
                out.append("<title>Tables of %s</title>" % s)
            out.append("<description>Schema %s: %s %s.</description>\n"
                       % (s, rng.choice(SURVEY_WORDS), rng.choice(PRODUCT_WORDS)))
            for t, n in by_schema[s]:
                ttype = "output" if p.kind == "vizier" else ("view" if rng.random() < 0.1 else "table")
                out.append('<table type="%s"><name>%s</name><title>%s</title><description>%s</description>'
                           '<nrows>%d</nrows>\n'
                           % (ttype, t, self.table_title(), self.description(0) if rng.random() < 0.3
                              else "%s %s" % (rng.choice(SURVEY_WORDS).capitalize(), rng.choice(PRODUCT_WORDS)),
                              int(10 ** rng.uniform(0.5, 9.3))))
                k = n
                if n >= 6:
                    out.extend(pos)
                    k = n - 3
                start = rng.randrange(npool)
                end = start + k
                if end <= npool:
                    out.extend(pool[start:end])
                else:
                    out.extend(pool[start:])
                    out.extend(pool[:end - npool])
                if n >= 6 and p.kind != "vizier" and rng.random() < 0.05:
                    out.append("<foreignKey><targetTable>%s</targetTable><fkColumn><fromColumn>source_id</fromColumn>"
                               "<targetColumn>source_id</targetColumn></fkColumn></foreignKey>\n" % p.tables[0][1])
                out.append("</table>\n")
                ncols_total += n
            out.append("</schema>\n")
        out.append("</tableset>\n")
        return "".join(out), len(p.tables), ncols_total

    def table_title(self):
        rng = self.rng
        return "%s of %s" % (rng.choice(["Catalogue", "Photometry", "Measurements", "Parameters",
                                         "Positions", "Spectroscopic data", "Light curve data",
                                         "Cross-identifications", "Observation log"]),
                             rng.choice(OBJECT_CLASSES))

    # -- one record --------------------------------------------------------------
    def render(self, p, pool, npool):
        rng = self.rng
        kind = p.kind
        auth, publisher, host, tag = self.centre(p.auth)
        org_ivoid = "ivo://%s/org" % auth
        ntab = ncol = ncap = 0
        prefixes = ()
        tail = ""
        body_extra = ""
        level = ["Research"]
        validation = ""
        desc = None
        if rng.random() < 0.5:
            validation = '<validationLevel validatedBy="ivo://%s/registry">%d</validationLevel>\n' % (
                self.authorities[rng.randrange(len(self.authorities))] if rng.random() < 0.3 else "cds.vizier",
                rng.choice([1, 2, 2, 3]))

        if kind == "vizier":
            xsitype, prefixes = "vs:CatalogService", ("cs",)
            publisher, host = "CDS", "vizier.cds.unistra.fr"
            org_ivoid = "ivo://CDS"
            short = "%s" % p.extra["path"].replace("/", "")[:16]
            title = self.title_for(p)
            ctype = ["Catalog"]
            caps = [self.browser_cap("https://vizier.cds.unistra.fr/viz-bin/VizieR-2?-source=%s" % p.extra["path"])]
            for s, t, n in p.tables[:8]:
                caps.append(self.cone_cap("https://vizier.cds.unistra.fr/viz-bin/conesearch/%s?" % t,
                                          "Cone search capability for table %s" % t))
            caps.append(self.tap_cap("https://tapvizier.cds.unistra.fr/TAPVizieR/tap", aux=True))
            ncap = len(caps)
            body_extra = "".join(caps) + self.coverage()
            ts, ntab, ncol = self.tableset(p, pool, npool)
            tail = ts
            relationship = ""
        elif kind == "tapsvc":
            xsitype, prefixes = "vs:CatalogService", ("tr",)
            short = "%s %s" % (tag[:8], p.extra["schema"][:6])
            title = self.title_for(p)
            ctype = ["Catalog", "Survey"]
            base = "https://%s/tap" % host
            caps = [self.tap_cap(base, obscore=rng.random() < 0.3), self.vosi(base)]
            if rng.random() < 0.5:
                prefixes = ("tr", "cs")
                caps.append(self.cone_cap("https://%s/%s/q/cone/scs.xml?" % (host, p.extra["schema"])))
            ncap = 4 + (len(caps) - 2)
            body_extra = self.rights() + "".join(caps) + self.coverage()
            ts, ntab, ncol = self.tableset(p, pool, npool)
            tail = ts
            relationship = ""
        elif kind in ("sia", "ssa"):
            xsitype = "vs:CatalogService"
            prefixes = ("sia",) if kind == "sia" else ("ssa",)
            short = "%s %s" % (tag[:8], "SIAP" if kind == "sia" else "SSAP")
            title = "%s %s (%s)" % (self.title_for(p), "images" if kind == "sia" else "spectra",
                                    "SIAP" if kind == "sia" else "SSAP")
            ctype = ["Archive"]
            base = "https://%s/%s/%s" % (host, p.extra["schema"], "siap/siap.xml?" if kind == "sia" else "ssap/ssap.xml?")
            caps = [self.sia_cap(base) if kind == "sia" else self.ssa_cap(base)]
            if kind == "sia" and rng.random() < 0.3:
                caps.append(self.sia2_cap("https://%s/%s/sia2/query" % (host, p.extra["schema"])))
            caps.append(self.vosi("https://%s/%s/vosi" % (host, p.extra["schema"])))
            ncap = len(caps) - 1 + 3
            body_extra = self.rights() + "".join(caps)
            body_extra += "<facility>%s</facility>" % rng.choice(FACILITIES)
            body_extra += "<instrument>%s</instrument>\n" % rng.choice(INSTRUMENTS)
            body_extra += self.coverage(force=True)
            if p.tables:
                ts, ntab, ncol = self.tableset(p, pool, npool)
                tail = ts
            relationship = ""
        elif kind in ("collection", "catres"):
            short = "%s %s" % (tag[:8], p.extra["schema"][:6])
            title = self.title_for(p)
            ctype = ["Catalog", "Survey"] if kind == "catres" else ["Archive"]
            rel_svc = "ivo://%s/%s/tap" % (auth, p.extra["schema"])
            relationship = ("<relationship><relationshipType>IsServedBy</relationshipType>"
                            '<relatedResource ivo-id="%s">%s TAP service</relatedResource></relationship>'
                            % (rel_svc, tag))
            ts, ntab, ncol = self.tableset(p, pool, npool)
            if kind == "collection":
                xsitype = "vs:DataCollection"
                body_extra = ("<facility>%s</facility><instrument>%s</instrument>\n" % (
                    rng.choice(FACILITIES), rng.choice(INSTRUMENTS)) + self.rights()
                    + '<format isMIMEType="true">application/fits</format>\n' + self.coverage())
                tail = ts + "<accessURL use=\"full\">https://%s/%s/files/</accessURL>\n" % (host, p.extra["schema"])
            else:
                xsitype = "vs:CatalogResource"
                caps = [self.tap_cap("https://%s/tap" % host, aux=True)]
                ncap = 1
                body_extra = self.rights() + "".join(caps) + self.coverage()
                tail = ts
        elif kind == "org":
            xsitype = "vr:Organisation"
            short = tag[:16]
            title = "%s, %s" % (publisher if p.ivoid.endswith("/org") else
                                "%s department of %s" % (rng.choice(["Astronomy", "Astrophysics", "Data",
                                                                       "Computing", "Archives"]), publisher),
                                rng.choice(CITY_NAMES))
            ctype = ["Organisation"]
            level = ["Research", "University"]
            relationship = ""
            desc = ("%s operates astronomical archives and Virtual Observatory services and "
                    "publishes their descriptions in the IVOA Registry. It is based in %s."
                    % (publisher, rng.choice(CITY_NAMES)))
            body_extra = "".join("<facility>%s</facility>" % f for f in rng.sample(FACILITIES, rng.randint(0, 3)))
            body_extra += "".join("<instrument>%s</instrument>" % f for f in rng.sample(INSTRUMENTS, rng.randint(0, 2)))
            body_extra += "\n"
        elif kind == "authority":
            xsitype, prefixes = "vg:Authority", ("vg",)
            short = None
            title = "The %s publishing authority" % auth
            ctype = []
            level = []
            relationship = ""
            desc = ("The authority %s is managed by %s. Resources whose identifiers start with "
                    "ivo://%s/ are registered by this organisation." % (auth, publisher, auth))
            body_extra = '<managingOrg ivo-id="%s">%s</managingOrg>\n' % (org_ivoid, publisher)
        elif kind == "standard":
            xsitype, prefixes = "vstd:Standard", ("vstd",)
            name = p.extra["name"]
            short = name[:16]
            title = "%s: an IVOA %s" % (name, rng.choice(["Recommendation", "Endorsed Note", "Note",
                                                         "Working Draft", "Proposed Recommendation"]))
            ctype = ["Other"]
            level = ["Research"]
            relationship = ""
            desc = ("This IVOA document defines %s. It specifies the protocol, the data model and "
                    "the XML schema used by services and clients; keys below name optional "
                    "features that services may declare." % name)
            ver = "%d.%d" % (rng.randint(1, 2), rng.randint(0, 3))
            body_extra = ('<endorsedVersion status="%s" use="preferred">%s</endorsedVersion>'
                          % (rng.choice(["rec", "rec", "pr", "wd", "note"]), ver))
            if rng.random() < 0.6:
                body_extra += ('<schema namespace="http://www.ivoa.net/xml/%s/v1.0"><location>'
                               'https://www.ivoa.net/xml/%s/%s-v%s.xsd</location>'
                               '<description>The XML schema for %s</description></schema>'
                               % (name, name, name, ver, name))
            for k in range(rng.randint(0, 8)):
                body_extra += ("<key><name>%s-%d</name><description>Feature %d of %s</description></key>"
                               % (rng.choice(["feature", "output", "upload", "features-adql", "query"]), k, k, name))
            body_extra += "\n"
        elif kind == "registry":
            xsitype, prefixes = "vg:Registry", ("vg",)
            short = "%s reg" % tag[:10]
            title = "%s Publishing Registry" % publisher
            ctype = ["Registry"]
            level = ["Research"]
            relationship = ""
            desc = ("The publishing registry of %s. It exposes the resource records of the "
                    "authority %s through the OAI-PMH interface%s."
                    % (publisher, auth, " and offers RegTAP searches of the whole VO"
                       if p.extra.get("full") else ""))
            caps = ['<capability standardID="ivo://ivoa.net/std/Registry" xsi:type="vg:Harvest">'
                    '<interface role="std" xsi:type="vg:OAIHTTP" version="1.0"><accessURL use="base">'
                    'https://%s/oai.xml</accessURL></interface><maxRecords>%d</maxRecords></capability>\n'
                    % (host, rng.choice([100, 500, 1000, 10000]))]
            if p.extra.get("full"):
                prefixes = ("vg", "tr")
                caps.append(self.tap_cap("https://%s/tap" % host))
                caps.append('<capability standardID="ivo://ivoa.net/std/RegTAP#1.1"/>\n')
            ncap = len(caps)
            body_extra = "".join(caps) + "<full>%s</full>" % ("true" if p.extra.get("full") else "false")
            body_extra += "<managedAuthority>%s</managedAuthority>\n" % auth
            if p.tables:
                ts, ntab, ncol = self.tableset(p, pool, npool)
                tail = ts
        elif kind == "service":
            xsitype = "vr:Service"
            short = "%s web" % tag[:10]
            title = "%s web interface to %s" % (tag, self.title_for(p).lower())
            ctype = ["Archive"]
            level = ["Research", "General"]
            relationship = ""
            body_extra = self.rights() + self.browser_cap("https://%s/%s" % (host, p.ivoid.split("/", 3)[3]))
            ncap = 1
        else:  # document
            xsitype, prefixes = "doc:Document", ("doc",)
            short = None
            title = "%s: %s" % (rng.choice(["User guide", "Tutorial", "Data release notes",
                                             "Explanatory supplement", "Technical note"]),
                                self.title_for(p))
            ctype = ["Other"]
            level = ["Research", "University", "General"]
            relationship = ""
            url = "https://%s/%s.pdf" % (host, p.ivoid.split("/", 3)[3])
            body_extra = ('<capability standardID="ivo://ivoa.net/std/DocRegExt#edition" xsi:type="doc:Edition">'
                          '<interface xsi:type="vr:WebBrowser"><accessURL use="full">%s</accessURL></interface>'
                          '<languageCode>en</languageCode><locTitle>%s</locTitle></capability>\n' % (url, title))
            ncap = 1

        p.extra["xsitype"] = xsitype
        head = ('<record><header><identifier>%s</identifier><datestamp>%s</datestamp>'
                '<setSpec>ivo_managed</setSpec></header><metadata>\n'
                '<ri:Resource %s xsi:type="%s" created="%s" updated="%s" status="%s" version="1.1">\n'
                % (p.ivoid, iso(p.updated), nsdecl(*prefixes), xsitype, iso(p.created),
                   iso(p.updated), p.status))
        parts = [head, validation, "<title>%s</title>\n" % title]
        if short:
            parts.append("<shortName>%s</shortName>\n" % esc(short[:16].strip()))
        parts.append("<identifier>%s</identifier>\n" % p.ivoid)
        if kind == "vizier" and rng.random() < 0.3:
            parts.append("<altIdentifier>doi:10.26093/cds/vizier.%d</altIdentifier>\n" % rng.randint(10000, 99999999))
        parts.append(self.curation(p, publisher, host, org_ivoid))
        parts.append(self.content(p, host, ctype, level, relationship, desc))
        parts.append(body_extra)
        parts.append(tail)
        parts.append("</ri:Resource>\n</metadata></record>\n")
        return "".join(parts), ntab, ncol, ncap


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--resources", type=int, default=30000)
    ap.add_argument("--page-size", type=int, default=500)
    ap.add_argument("--out", required=True, help="output directory (created)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.resources < 1 or args.page_size < 1:
        ap.error("--resources and --page-size must be positive")

    t0 = time.time()
    os.makedirs(args.out, exist_ok=True)
    gen = Generator(args.seed, args.resources, args.page_size)
    plans = gen.plan()
    totals = gen.render_all(plans, args.out)
    elapsed = time.time() - t0
    manifest = {"generator": "bench/generate_registry.py", "seed": args.seed,
                "resources_requested": args.resources, "page_size": args.page_size,
                **totals, "seconds": round(elapsed, 2)}
    with open(os.path.join(args.out, "MANIFEST.json"), "w") as fh:
        json.dump(manifest, fh, indent=1, sort_keys=True)
        fh.write("\n")
    if not args.quiet:
        print("resource types (xsi:type):")
        for k, v in sorted(totals["by_type"].items(), key=lambda kv: -kv[1]):
            print("  %-20s %6d  (%4.1f %%)" % (k, v, 100.0 * v / totals["resources"]))
        print("kinds: " + ", ".join("%s %d" % kv for kv in sorted(totals["by_kind"].items(), key=lambda kv: -kv[1])))
        print("largest resource: %d tables, %d columns; %d capabilities in all"
              % (totals["max_tables_per_resource"], totals["max_columns_per_resource"], totals["capabilities"]))
    if not args.quiet:
        print("status=\"inactive\": %d resources (%d tables, %d columns); active: %d tables, %d columns"
              % (totals["inactive"], totals["tables"] - totals["active_tables"],
                 totals["columns"] - totals["active_columns"], totals["active_tables"],
                 totals["active_columns"]))
    print("totals: resources %d, deleted %d, records %d, pages %d, tables %d, columns %d, "
          "bytes %d (%.1f MB), %.1f s"
          % (totals["resources"], totals["deleted"], totals["records"], totals["pages"],
             totals["tables"], totals["columns"], totals["bytes"], totals["bytes"] / 1e6, elapsed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
