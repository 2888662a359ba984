"""Draft translations of the demo's content, keyed by the English they translate.

Written by the project, not by translators: every row is loaded as a draft
(not reviewed) for a municipality's translators to check. isiZulu (zu),
Afrikaans (af) and isiXhosa (xh) cover what a citizen's journey shows: service
names and groups, the common services' pledges and descriptions, the redress
route, the after-contact survey and the pothole and refuse questions.
Sesotho (st), Setswana (tn) and Sepedi (nso) start with the service groups
and the most used services. The client groups and what each service brings
them (the "who we serve" page) are in all six.
"""

GROUPS = {
    "Water": {"zu": "Amanzi", "af": "Water", "xh": "Amanzi", "st": "Metsi", "tn": "Metsi",
              "nso": "Meetse"},
    "Sanitation": {"zu": "Inhlanzeko", "af": "Sanitasie", "xh": "Ucoceko", "st": "Bohloeki",
                   "tn": "Bophepa", "nso": "Bohlwekiši"},
    "Electricity": {"zu": "Ugesi", "af": "Elektrisiteit", "xh": "Umbane", "st": "Motlakase",
                    "tn": "Motlakase", "nso": "Mohlagase"},
    "Roads": {"zu": "Imigwaqo", "af": "Paaie", "xh": "Iindlela", "st": "Ditsela",
              "tn": "Ditsela", "nso": "Ditsela"},
    "Waste": {"zu": "Udoti", "af": "Afval", "xh": "Inkunkuma", "st": "Ditshila",
              "tn": "Matlakala", "nso": "Ditlakala"},
    "Housing": {"zu": "Izindlu", "af": "Behuising", "xh": "Izindlu", "st": "Matlo",
                "tn": "Matlo", "nso": "Dintlo"},
    "Social support": {"zu": "Usizo lomphakathi", "af": "Maatskaplike steun",
                       "xh": "Inkxaso yoluntu", "st": "Tshehetso ya setjhaba",
                       "tn": "Tshegetso ya loago", "nso": "Thekgo ya leago"},
    "Health": {"zu": "Ezempilo", "af": "Gesondheid", "xh": "Ezempilo", "st": "Bophelo",
               "tn": "Boitekanelo", "nso": "Maphelo"},
    "Licensing": {"zu": "Amalayisense", "af": "Lisensies", "xh": "Iimvume", "st": "Dilaesense",
                  "tn": "Dilaesense", "nso": "Dilaesense"},
    "Customer care": {"zu": "Ukunakekelwa kwamakhasimende", "af": "Kliëntediens",
                      "xh": "Inkonzo kubathengi", "st": "Tlhokomelo ya bareki",
                      "tn": "Tlhokomelo ya badirisi", "nso": "Tlhokomelo ya bareki"},
}

# Service names, by the English name.
NAMES = {
    "Water leak or burst pipe": {"zu": "Amanzi avuzayo noma ipayipi eliqhumile",
                                 "af": "Waterlek of gebarste pyp",
                                 "xh": "Amanzi avuzayo okanye umbhobho oqhekekileyo",
                                 "st": "Metsi a dutlang kapa phaephe e phatlohileng",
                                 "tn": "Metsi a a dutlang kgotsa phaephe e e thubegileng",
                                 "nso": "Meetse a a dutlago goba phaephe ye e thubegilego"},
    "No water supply": {"zu": "Awekho amanzi", "af": "Geen watertoevoer nie",
                        "xh": "Akukho manzi", "st": "Ha ho metsi", "tn": "Ga go na metsi",
                        "nso": "Ga go na meetse"},
    "Dirty or discoloured water": {"zu": "Amanzi angcolile noma anombala ongajwayelekile",
                                   "af": "Vuil of verkleurde water",
                                   "xh": "Amanzi amdaka okanye anombala ongaqhelekanga"},
    "Water meter fault or reading": {"zu": "Iphutha lemitha yamanzi noma ukufundwa kwayo",
                                     "af": "Watermeterfout of -lesing",
                                     "xh": "Impazamo yemitha yamanzi okanye yokufundwa kwayo"},
    "Blocked or overflowing sewer": {"zu": "Indle evalekile noma echichimayo",
                                     "af": "Verstopte of oorlopende riool",
                                     "xh": "Umjelo welindle ovalekileyo okanye ophuphumayo"},
    "Communal toilet not working": {"zu": "Ithoyilethi yomphakathi engasebenzi",
                                    "af": "Gemeenskapstoilet werk nie",
                                    "xh": "Indlu yangasese yoluntu engasebenziyo"},
    "No electricity": {"zu": "Awukho ugesi", "af": "Geen elektrisiteit nie",
                       "xh": "Akukho mbane", "st": "Ha ho motlakase", "tn": "Ga go na motlakase",
                       "nso": "Ga go na mohlagase"},
    "Streetlight not working": {"zu": "Isibani somgwaqo esingasebenzi",
                                "af": "Straatlig werk nie",
                                "xh": "Isibane sesitrato esingasebenziyo",
                                "st": "Lebone la seterata ha le sebetse",
                                "tn": "Lebone la mmila ga le dire",
                                "nso": "Lebone la mmila ga le šome"},
    "Prepaid meter or token problem": {"zu": "Inkinga yemitha kagesi ekhokhelwa kuqala",
                                       "af": "Probleem met 'n voorafbetaalde meter of kode",
                                       "xh": "Ingxaki yemitha yombane ehlawulelwa kwangaphambili"},
    "New electricity connection": {"zu": "Ukuxhunywa okusha kukagesi",
                                   "af": "Nuwe elektrisiteitsaansluiting",
                                   "xh": "Uqhagamshelo olutsha lombane"},
    "Illegal electricity connection": {"zu": "Ukuxhuma ugesi ngokungemthetho",
                                       "af": "Onwettige elektrisiteitsaansluiting",
                                       "xh": "Uqhagamshelo lombane olungekho mthethweni"},
    "Pothole": {"zu": "Umgodi emgwaqweni", "af": "Slaggat", "xh": "Umngxuma endleleni",
                "st": "Sekoti tseleng", "tn": "Mosima mo tseleng", "nso": "Molete tseleng"},
    "Traffic light not working": {"zu": "Irobhothi elingasebenzi", "af": "Verkeerslig werk nie",
                                  "xh": "Irobhothi engasebenziyo"},
    "Blocked stormwater drain": {"zu": "Umsele wamanzi emvula ovalekile",
                                 "af": "Verstopte stormwaterafvoer",
                                 "xh": "Umjelo wamanzi emvula ovalekileyo"},
    "Missing road sign or marking": {"zu": "Uphawu lomgwaqo olungekho",
                                     "af": "Vermiste padteken of padmerk",
                                     "xh": "Uphawu lwendlela olungekhoyo"},
    "Damaged pavement or sidewalk": {"zu": "Indlela yabahamba ngezinyawo eyonakele",
                                     "af": "Beskadigde sypaadjie",
                                     "xh": "Indlela yabahambi ngeenyawo eyonakeleyo"},
    "Refuse not collected": {"zu": "Udoti ongaqoqwanga", "af": "Vullis nie verwyder nie",
                             "xh": "Inkunkuma engaqokelelwanga",
                             "st": "Ditshila ha di a nkuwa", "tn": "Matlakala ga a tsewa",
                             "nso": "Ditlakala ga di a tšewa"},
    "Illegal dumping": {"zu": "Ukulahla udoti ngokungemthetho", "af": "Onwettige storting",
                        "xh": "Ukulahlwa kwenkunkuma ngokungekho mthethweni"},
    "New or replacement refuse bin": {"zu": "Umgqomo kadoti omusha noma owokushintsha",
                                      "af": "Nuwe of vervangende vullisblik",
                                      "xh": "Umgqomo wenkunkuma omtsha okanye wokutshintsha"},
    "Dead animal removal": {"zu": "Ukususwa kwesilwane esifile",
                            "af": "Verwydering van 'n dooie dier",
                            "xh": "Ukususwa kwesilwanyana esifileyo"},
    "Garden refuse site problem": {"zu": "Inkinga endaweni yokulahla udoti wasengadini",
                                   "af": "Probleem by 'n tuinafvalterrein",
                                   "xh": "Ingxaki kwindawo yenkunkuma yegadi"},
    "Housing subsidy application": {"zu": "Isicelo sesibonelelo sezindlu",
                                    "af": "Aansoek om 'n behuisingsubsidie",
                                    "xh": "Isicelo senkxaso-mali yezindlu"},
    "Housing list enquiry": {"zu": "Umbuzo ngohlu lwezindlu", "af": "Navraag oor die behuisingslys",
                             "xh": "Umbuzo malunga noluhlu lwezindlu"},
    "Defect in a subsidised house": {"zu": "Iphutha endlini yesibonelelo",
                                     "af": "Gebrek in 'n gesubsidieerde huis",
                                     "xh": "Isiphene kwindlu exhaswayo"},
    "Informal settlement services": {"zu": "Izinsizakalo zemijondolo",
                                     "af": "Dienste in informele nedersettings",
                                     "xh": "Iinkonzo zematyotyombe"},
    "Indigent support registration": {"zu": "Ukubhalisela usizo lwabampofu",
                                      "af": "Registrasie vir hulp aan behoeftiges",
                                      "xh": "Ukubhalisela inkxaso yabahluphekayo"},
    "Food relief request": {"zu": "Isicelo sosizo lokudla", "af": "Versoek om voedselhulp",
                            "xh": "Isicelo soncedo lokutya"},
    "Early childhood centre registration": {
        "zu": "Ukubhaliswa kwesikhungo sokunakekela izingane",
        "af": "Registrasie van 'n kleuterskool of crèche",
        "xh": "Ukubhaliswa kweziko lokukhathalela abantwana abancinci"},
    "Help for a vulnerable person": {"zu": "Usizo lomuntu osengozini",
                                     "af": "Hulp vir 'n kwesbare persoon",
                                     "xh": "Uncedo lomntu osemngciphekweni"},
    "Clinic service complaint": {"zu": "Isikhalazo ngomtholampilo",
                                 "af": "Klagte oor 'n kliniekdiens",
                                 "xh": "Isikhalazo ngenkonzo yekliniki"},
    "Medicine out of stock at a clinic": {"zu": "Umuthi ophelile emtholampilo",
                                          "af": "Medisyne by 'n kliniek is op",
                                          "xh": "Amayeza aphelileyo ekliniki"},
    "Food safety complaint": {"zu": "Isikhalazo ngokuphepha kokudla",
                              "af": "Klagte oor voedselveiligheid",
                              "xh": "Isikhalazo ngokhuseleko lokutya"},
    "Rats or pests in a public place": {"zu": "Amagundane noma izinambuzane endaweni yomphakathi",
                                        "af": "Rotte of plae op 'n openbare plek",
                                        "xh": "Iimpuku okanye izinambuzane kwindawo yoluntu"},
    "Noise or air pollution": {"zu": "Umsindo noma ukungcoliswa komoya",
                               "af": "Geraas of lugbesoedeling",
                               "xh": "Ingxolo okanye ungcoliseko lomoya"},
    "Driving licence renewal": {"zu": "Ukuvuselela ilayisense yokushayela",
                                "af": "Hernuwing van 'n bestuurslisensie",
                                "xh": "Ukuhlaziya iphepha-mvume lokuqhuba"},
    "Learner's or driving test booking": {"zu": "Ukubhukha ukuhlolelwa ilayisense",
                                          "af": "Bespreking vir 'n leerlings- of bestuurstoets",
                                          "xh": "Ukubhukisha uvavanyo lokuqhuba"},
    "Vehicle registration and licence disc": {
        "zu": "Ukubhaliswa kwemoto nediski yelayisense",
        "af": "Voertuigregistrasie en lisensieskyf",
        "xh": "Ukubhaliswa kwesithuthi nediski yephepha-mvume"},
    "Business licence": {"zu": "Ilayisense yebhizinisi", "af": "Besigheidslisensie",
                         "xh": "Iphepha-mvume leshishini"},
    "Informal trading permit": {"zu": "Imvume yokuhweba emgwaqweni",
                                "af": "Permit vir informele handel",
                                "xh": "Imvume yorhwebo lwasesitratweni"},
    "Municipal account query": {"zu": "Umbuzo nge-akhawunti kamasipala",
                                "af": "Navraag oor 'n munisipale rekening",
                                "xh": "Umbuzo nge-akhawunti kamasipala"},
    "Complaint about a staff member": {"zu": "Isikhalazo ngesisebenzi",
                                       "af": "Klagte oor 'n personeellid",
                                       "xh": "Isikhalazo ngomsebenzi"},
    "Compliment for good service": {"zu": "Ukubonga ngensizakalo enhle",
                                    "af": "Kompliment vir goeie diens",
                                    "xh": "Umbulelo ngenkonzo entle"},
    "Follow-up on a poor rating": {"zu": "Ukulandelela isilinganiso esibi",
                                   "af": "Opvolg van 'n swak gradering",
                                   "xh": "Ukulandelela amanqaku aphantsi"},
    "General enquiry": {"zu": "Umbuzo ojwayelekile", "af": "Algemene navraag",
                        "xh": "Umbuzo oqhelekileyo", "st": "Potso e akaretsang",
                        "tn": "Potso e e akaretsang", "nso": "Potšišo ye e akaretšago"},
}

# Pledges of the common services (a service's description is its pledge up to
# "within": the builder translates both).
PLEDGES = {
    "We stop a burst pipe within 2 working days and tell you when the water is back.": {
        "zu": "Simisa ipayipi eliqhumile phakathi kwezinsuku zokusebenza ezi-2 futhi sikutshele "
              "uma amanzi esebuyile.",
        "af": "Ons stop 'n gebarste pyp binne 2 werksdae en laat weet jou wanneer die water "
              "terug is.",
        "xh": "Simisa umbhobho oqhekekileyo kungaphelanga iintsuku zokusebenza ezi-2 kwaye "
              "sikwazise xa amanzi ebuyile."},
    "When your taps run dry we restore supply, or bring a water tanker, within 1 working day.": {
        "zu": "Uma ompompi bakho bomile, sibuyisa amanzi, noma silethe ithangi lamanzi, "
              "phakathi kosuku olu-1 lokusebenza.",
        "af": "As jou krane droog is, herstel ons die toevoer, of bring ons 'n watertenk, binne "
              "1 werksdag.",
        "xh": "Xa iimpompo zakho zomile, sibuyisa amanzi, okanye sizise itanki lamanzi, "
              "kungaphelanga usuku olu-1 lokusebenza."},
    "We clear a blocked sewer within 2 working days.": {
        "zu": "Sivula indle evalekile phakathi kwezinsuku zokusebenza ezi-2.",
        "af": "Ons maak 'n verstopte riool binne 2 werksdae oop.",
        "xh": "Sivula umjelo welindle ovalekileyo kungaphelanga iintsuku zokusebenza ezi-2."},
    "We restore a supply fault within 1 working day, or tell you why we cannot.": {
        "zu": "Silungisa iphutha likagesi phakathi kosuku olu-1 lokusebenza, noma sikutshele "
              "ukuthi kungani singakwazi.",
        "af": "Ons herstel 'n toevoerfout binne 1 werksdag, of sê vir jou waarom ons nie kan nie.",
        "xh": "Silungisa impazamo yombane kungaphelanga usuku olu-1 lokusebenza, okanye "
              "sikuxelele ukuba kutheni singakwazi."},
    "We repair a streetlight within 7 working days.": {
        "zu": "Silungisa isibani somgwaqo phakathi kwezinsuku zokusebenza ezi-7.",
        "af": "Ons herstel 'n straatlig binne 7 werksdae.",
        "xh": "Silungisa isibane sesitrato kungaphelanga iintsuku zokusebenza ezi-7.",
        "st": "Re lokisa lebone la seterata nakong ya matsatsi a 7 a mosebetsi.",
        "tn": "Re baakanya lebone la mmila mo malatsing a le 7 a tiro.",
        "nso": "Re lokiša lebone la mmila ka gare ga matšatši a 7 a go šoma."},
    "We fill a pothole within 5 working days of your report.": {
        "zu": "Sivala umgodi emgwaqweni phakathi kwezinsuku zokusebenza ezi-5 ngemuva "
              "kokuwubika.",
        "af": "Ons vul 'n slaggat binne 5 werksdae na jou verslag.",
        "xh": "Sivala umngxuma endleleni kungaphelanga iintsuku zokusebenza ezi-5 emva "
              "kokuba uwuxelile.",
        "st": "Re tlatsa sekoti nakong ya matsatsi a 5 a mosebetsi ka mora tlaleho ya hao.",
        "tn": "Re tlatsa mosima mo malatsing a le 5 a tiro morago ga pego ya gago.",
        "nso": "Re tlatša molete ka gare ga matšatši a 5 a go šoma ka morago ga pego ya gago."},
    "We repair a traffic signal within 1 working day.": {
        "zu": "Silungisa irobhothi phakathi kosuku olu-1 lokusebenza.",
        "af": "Ons herstel 'n verkeerslig binne 1 werksdag.",
        "xh": "Silungisa irobhothi kungaphelanga usuku olu-1 lokusebenza."},
    "We clear a blocked stormwater drain within 5 working days.": {
        "zu": "Sivula umsele wamanzi emvula ovalekile phakathi kwezinsuku zokusebenza ezi-5.",
        "af": "Ons maak 'n verstopte stormwaterafvoer binne 5 werksdae oop.",
        "xh": "Sivula umjelo wamanzi emvula ovalekileyo kungaphelanga iintsuku zokusebenza "
              "ezi-5."},
    "If we miss your collection day, we collect within 2 working days.": {
        "zu": "Uma singaqoqanga udoti ngosuku lwakho, siwuqoqa phakathi kwezinsuku "
              "zokusebenza ezi-2.",
        "af": "As ons jou vullisdag mis, verwyder ons dit binne 2 werksdae.",
        "xh": "Ukuba asiyiqokelelanga inkunkuma ngosuku lwakho, siyiqokelela kungaphelanga "
              "iintsuku zokusebenza ezi-2.",
        "st": "Ha re sa nka ditshila ka letsatsi la hao, re di nka nakong ya matsatsi a 2 a "
              "mosebetsi.",
        "tn": "Fa re sa tsaya matlakala ka letsatsi la gago, re a tsaya mo malatsing a le 2 a "
              "tiro.",
        "nso": "Ge re sa tšea ditlakala ka letšatši la gago, re a di tšea ka gare ga matšatši "
               "a 2 a go šoma."},
    "We clear an illegal dump within 5 working days.": {
        "zu": "Sisusa udoti olahlwe ngokungemthetho phakathi kwezinsuku zokusebenza ezi-5.",
        "af": "Ons ruim 'n onwettige stortterrein binne 5 werksdae op.",
        "xh": "Sisusa inkunkuma elahlwe ngokungekho mthethweni kungaphelanga iintsuku "
              "zokusebenza ezi-5."},
    # The revised standards' pledges (catalogue_data.REVISED).
    "We fill a pothole within 3 working days of your report.": {
        "zu": "Sivala umgodi emgwaqweni phakathi kwezinsuku zokusebenza ezi-3 ngemuva "
              "kokuwubika.",
        "af": "Ons vul 'n slaggat binne 3 werksdae na jou verslag.",
        "xh": "Sivala umngxuma endleleni kungaphelanga iintsuku zokusebenza ezi-3 emva "
              "kokuba uwuxelile.",
        "st": "Re tlatsa sekoti nakong ya matsatsi a 3 a mosebetsi ka mora tlaleho ya hao.",
        "tn": "Re tlatsa mosima mo malatsing a le 3 a tiro morago ga pego ya gago.",
        "nso": "Re tlatša molete ka gare ga matšatši a 3 a go šoma ka morago ga pego ya gago."},
    "If we miss your collection day, we collect the next working day.": {
        "zu": "Uma singaqoqanga udoti ngosuku lwakho, siwuqoqa ngosuku olulandelayo "
              "lokusebenza.",
        "af": "As ons jou vullisdag mis, verwyder ons dit die volgende werksdag.",
        "xh": "Ukuba asiyiqokelelanga inkunkuma ngosuku lwakho, siyiqokelela ngosuku "
              "olulandelayo lokusebenza."},
    "We repair a streetlight within 5 working days.": {
        "zu": "Silungisa isibani somgwaqo phakathi kwezinsuku zokusebenza ezi-5.",
        "af": "Ons herstel 'n straatlig binne 5 werksdae.",
        "xh": "Silungisa isibane sesitrato kungaphelanga iintsuku zokusebenza ezi-5."},
    "We answer a query about your municipal account within 7 working days.": {
        "zu": "Siphendula umbuzo nge-akhawunti yakho kamasipala phakathi kwezinsuku "
              "zokusebenza ezi-7.",
        "af": "Ons beantwoord 'n navraag oor jou munisipale rekening binne 7 werksdae.",
        "xh": "Siphendula umbuzo nge-akhawunti yakho kamasipala kungaphelanga iintsuku "
              "zokusebenza ezi-7."},
    "We investigate a complaint about a clinic within 10 working days.": {
        "zu": "Siphenya isikhalazo ngomtholampilo phakathi kwezinsuku zokusebenza ezi-10.",
        "af": "Ons ondersoek 'n klagte oor 'n kliniek binne 10 werksdae.",
        "xh": "Siphanda isikhalazo ngekliniki kungaphelanga iintsuku zokusebenza ezi-10."},
}

# Descriptions: the pledge up to "within", by language.
DESCRIPTIONS = {
    "We stop a burst pipe.": {"zu": "Simisa ipayipi eliqhumile.",
                              "af": "Ons stop 'n gebarste pyp.",
                              "xh": "Simisa umbhobho oqhekekileyo."},
    "When your taps run dry we restore supply, or bring a water tanker,": {
        "zu": "Uma ompompi bakho bomile, sibuyisa amanzi noma silethe ithangi lamanzi.",
        "af": "As jou krane droog is, herstel ons die toevoer of bring ons 'n watertenk.",
        "xh": "Xa iimpompo zakho zomile, sibuyisa amanzi okanye sizise itanki lamanzi."},
    "We clear a blocked sewer.": {"zu": "Sivula indle evalekile.",
                                  "af": "Ons maak 'n verstopte riool oop.",
                                  "xh": "Sivula umjelo welindle ovalekileyo."},
    "We restore a supply fault.": {"zu": "Silungisa iphutha likagesi.",
                                   "af": "Ons herstel 'n toevoerfout.",
                                   "xh": "Silungisa impazamo yombane."},
    "We repair a streetlight.": {"zu": "Silungisa isibani somgwaqo.",
                                 "af": "Ons herstel 'n straatlig.",
                                 "xh": "Silungisa isibane sesitrato."},
    "We fill a pothole.": {"zu": "Sivala umgodi emgwaqweni.", "af": "Ons vul 'n slaggat.",
                           "xh": "Sivala umngxuma endleleni."},
    "We repair a traffic signal.": {"zu": "Silungisa irobhothi.",
                                    "af": "Ons herstel 'n verkeerslig.",
                                    "xh": "Silungisa irobhothi."},
    "We clear a blocked stormwater drain.": {"zu": "Sivula umsele wamanzi emvula ovalekile.",
                                             "af": "Ons maak 'n verstopte stormwaterafvoer oop.",
                                             "xh": "Sivula umjelo wamanzi emvula ovalekileyo."},
    "If we miss your collection day, we collect.": {
        "zu": "Uma singaqoqanga udoti ngosuku lwakho, siyeza siwuqoqe.",
        "af": "As ons jou vullisdag mis, kom verwyder ons dit.",
        "xh": "Ukuba asiyiqokelelanga inkunkuma ngosuku lwakho, siza kuyiqokelela."},
    "We clear an illegal dump.": {"zu": "Sisusa udoti olahlwe ngokungemthetho.",
                                  "af": "Ons ruim 'n onwettige stortterrein op.",
                                  "xh": "Sisusa inkunkuma elahlwe ngokungekho mthethweni."},
    "We investigate a complaint about a clinic.": {
        "zu": "Siphenya isikhalazo ngomtholampilo.",
        "af": "Ons ondersoek 'n klagte oor 'n kliniek.",
        "xh": "Siphanda isikhalazo ngekliniki."},
}

REDRESS = {
    "If we miss this date, the office supervisor calls you within 1 working day to apologise, "
    "explain and agree a new date. You can also ask for the customer care manager.": {
        "zu": "Uma singasigcini lolu suku, umphathi wehhovisi uyakushayela phakathi kosuku "
              "olu-1 lokusebenza ukuze axolise, achaze futhi nivumelane ngosuku olusha. "
              "Ungacela nokukhuluma nomphathi wokunakekelwa kwamakhasimende.",
        "af": "As ons hierdie datum mis, bel die kantoortoesighouer jou binne 1 werksdag om "
              "verskoning te vra, te verduidelik en 'n nuwe datum af te spreek. Jy kan ook vra "
              "om met die bestuurder van kliëntediens te praat.",
        "xh": "Ukuba asiwugcini lo mhla, umphathi weofisi uya kukutsalela umnxeba "
              "kungaphelanga usuku olu-1 lokusebenza ukuze acele uxolo, acacise kwaye "
              "nivumelane ngomhla omtsha. Ungacela nokuthetha nomphathi wenkonzo kubathengi.",
    },
}

# A standard's description is "<name>: part of the <group> services of the
# municipality." (demo.municipality); in other languages, by this pattern.
# The institution's complaints route, on the home page and every charter.
COMPLAINTS_ROUTE = {
    "Not happy with how we handled your matter? Call 0800 000 311, email "
    "complaints@ubuntubay.example or ask for the customer care manager at any "
    "customer care centre. We answer every complaint within 10 working days.": {
        "zu": "Awenelisekile ngendlela esiphathe ngayo udaba lwakho? Shayela u-0800 000 311, "
              "thumela i-imeyili ku-complaints@ubuntubay.example noma ucele umphathi "
              "wokunakekelwa kwamakhasimende kunoma yisiphi isikhungo sokunakekelwa "
              "kwamakhasimende. Siphendula zonke izikhalo zingakapheli izinsuku "
              "zokusebenza ezi-10.",
        "xh": "Awonelisekanga yindlela esiwuphethe ngayo umba wakho? Tsalela ku-0800 000 311, "
              "thumela i-imeyile ku-complaints@ubuntubay.example okanye ucele umphathi "
              "wenkonzo kubathengi kulo naliphi na iziko lenkonzo kubathengi. Siphendula "
              "zonke izikhalazo kungaphelanga iintsuku zokusebenza ezili-10.",
        "af": "Nie tevrede met hoe ons u saak hanteer het nie? Skakel 0800 000 311, e-pos "
              "complaints@ubuntubay.example of vra vir die bestuurder van kliëntediens by enige "
              "kliëntedienssentrum. Ons beantwoord elke klagte binne 10 werksdae.",
        "st": "Ha o a kgotsofala ka tsela eo re sebeditseng taba ya hao ka yona? Letsetsa "
              "0800 000 311, romela imeile ho complaints@ubuntubay.example kapa o kope "
              "motsamaisi wa tshebeletso ya bareki setsing sefe kapa sefe sa tshebeletso ya "
              "bareki. Re araba tletlebo e nngwe le e nngwe nakong ya matsatsi a 10 a mosebetsi.",
        "tn": "Ga o a kgotsofala ka tsela e re tshwereng kgang ya gago ka yone? Leletsa "
              "0800 000 311, romela imeile go complaints@ubuntubay.example kgotsa o kope "
              "motsamaisi wa tirelo ya badirisi kwa lefelong lefe kgotsa lefe la tirelo ya "
              "badirisi. Re araba ngongorego nngwe le nngwe mo malatsing a le 10 a tiro.",
        "nso": "Ga o a kgotsofala ka tsela yeo re swerego taba ya gago ka yona? Letšetša "
               "0800 000 311, romela imeile go complaints@ubuntubay.example goba o kgopele "
               "molaodi wa tirelo ya bareki lefelong lefe goba lefe la tirelo ya bareki. Re "
               "araba ngongorego ye nngwe le ye nngwe ka gare ga matšatši a 10 a mošomo.",
    },
}

STANDARD_DESCRIPTION = {
    "zu": "{name}: enye yezinsizakalo zikamasipala.",
    "af": "{name}: een van die munisipaliteit se dienste.",
    "xh": "{name}: enye yeenkonzo zikamasipala.",
}

# Survey and service questions and their answers, by the English.
QUESTIONS = {
    "How did we treat you?": {"zu": "Sikuphathe kanjani?", "af": "Hoe het ons jou behandel?",
                              "xh": "Sikuphathe njani?"},
    "Three quick questions about your contact with us. It takes a minute.": {
        "zu": "Imibuzo emithathu emifushane ngokuxhumana kwakho nathi. Kuthatha umzuzu.",
        "af": "Drie vinnige vrae oor jou kontak met ons. Dit neem 'n minuut.",
        "xh": "Imibuzo emithathu emifutshane malunga nonxibelelwano lwakho nathi. Kuthatha "
              "umzuzu."},
    "Did we show concern for you and your problem?": {
        "zu": "Ingabe sikukhathalele wena nenkinga yakho?",
        "af": "Het ons omgegee vir jou en jou probleem?",
        "xh": "Ngaba sikukhathalele wena nengxaki yakho?"},
    "How friendly were we?": {"zu": "Besinobungane kangakanani?",
                              "af": "Hoe vriendelik was ons?",
                              "xh": "Besinobuhlobo kangakanani?"},
    "How courteous and respectful were we?": {
        "zu": "Besinenhlonipho kangakanani?", "af": "Hoe hoflik en respekvol was ons?",
        "xh": "Besinembeko nentlonipho kangakanani?"},
    "Overall, how satisfied are you with this contact?": {
        "zu": "Sekukonke, wenelisekile kangakanani ngalokhu kuxhumana?",
        "af": "Hoe tevrede is jy oor die algemeen met hierdie kontak?",
        "xh": "Xa uwonke, waneliseke kangakanani ngolu nxibelelwano?"},
    "What should we start doing?": {"zu": "Yini okufanele siqale ukuyenza?",
                                    "af": "Wat moet ons begin doen?",
                                    "xh": "Yintoni ekufuneka siqale ukuyenza?"},
    "What should we stop doing?": {"zu": "Yini okufanele siyeke ukuyenza?",
                                   "af": "Wat moet ons ophou doen?",
                                   "xh": "Yintoni ekufuneka siyeke ukuyenza?"},
    "What should we keep doing?": {"zu": "Yini okufanele siqhubeke nokuyenza?",
                                   "af": "Wat moet ons aanhou doen?",
                                   "xh": "Yintoni ekufuneka siqhubeke nokuyenza?"},
    "Is there anything else you want to tell us?": {
        "zu": "Ingabe kukhona okunye ofuna ukusitshela khona?",
        "af": "Is daar nog iets wat jy vir ons wil sê?",
        "xh": "Ngaba ikhona enye into ofuna ukusixelela yona?"},
    "How big is the pothole?": {"zu": "Umgodi mkhulu kangakanani?",
                                "af": "Hoe groot is die slaggat?",
                                "xh": "Umngxuma mkhulu kangakanani?"},
    "Smaller than a dinner plate": {"zu": "Mncane kunepuleti lokudla",
                                    "af": "Kleiner as 'n etebord",
                                    "xh": "Mncinci kunepleyiti yokutya"},
    "Up to a car tyre": {"zu": "Ulingana nesondo lemoto", "af": "Tot so groot soos 'n motorband",
                         "xh": "Ulingana nevili lemoto"},
    "Larger than a car tyre": {"zu": "Mkhulu kunesondo lemoto", "af": "Groter as 'n motorband",
                               "xh": "Mkhulu kunevili lemoto"},
    "Is it blocking a lane?": {"zu": "Ingabe uvimba umzila?", "af": "Versper dit 'n baan?",
                               "xh": "Ngaba uvala umgaqo?"},
    "Yes": {"zu": "Yebo", "af": "Ja", "xh": "Ewe", "st": "E", "tn": "Ee", "nso": "Ee"},
    "No": {"zu": "Cha", "af": "Nee", "xh": "Hayi", "st": "Tjhe", "tn": "Nnyaa", "nso": "Aowa"},
    "Which is your collection day?": {"zu": "Udoti wakho uqoqwa ngaluphi usuku?",
                                      "af": "Watter dag word jou vullis verwyder?",
                                      "xh": "Inkunkuma yakho iqokelelwa ngaluphi usuku?"},
    "Monday": {"zu": "UMsombuluko", "af": "Maandag", "xh": "UMvulo"},
    "Tuesday": {"zu": "ULwesibili", "af": "Dinsdag", "xh": "ULwesibini"},
    "Wednesday": {"zu": "ULwesithathu", "af": "Woensdag", "xh": "ULwesithathu"},
    "Thursday": {"zu": "ULwesine", "af": "Donderdag", "xh": "ULwesine"},
    "Friday": {"zu": "ULwesihlanu", "af": "Vrydag", "xh": "ULwesihlanu"},
    "What was dumped?": {"zu": "Kulahlwe ini?", "af": "Wat is gestort?", "xh": "Kulahlwe ntoni?"},
    "Meter number (on the meter face)": {"zu": "Inombolo yemitha (ebusweni bemitha)",
                                         "af": "Meternommer (op die meter se voorkant)",
                                         "xh": "Inombolo yemitha (ebusweni bemitha)"},
    "Current reading": {"zu": "Okufundwayo kwamanje", "af": "Huidige lesing",
                        "xh": "Okufundwayo ngoku"},
    "Pole number, if you can see it": {"zu": "Inombolo yesigxobo, uma uyibona",
                                       "af": "Paalnommer, as jy dit kan sien",
                                       "xh": "Inombolo yesibonda, ukuba uyayibona"},
}

PROMISES = {
    "The office supervisor will call you within 2 working days to hear what went wrong and "
    "agree how to put it right.": {
        "zu": "Umphathi wehhovisi uzokushayela phakathi kwezinsuku zokusebenza ezi-2 ukuze "
              "azwe ukuthi yini engahambanga kahle futhi nivumelane ngokuthi izolungiswa kanjani.",
        "af": "Die kantoortoesighouer sal jou binne 2 werksdae bel om te hoor wat verkeerd "
              "geloop het en saam te besluit hoe om dit reg te stel.",
        "xh": "Umphathi weofisi uya kukutsalela umnxeba kungaphelanga iintsuku zokusebenza "
              "ezi-2 ukuze eve ukuba yintoni engahambanga kakuhle kwaye nivumelane ngendlela "
              "yokuyilungisa."},
}

# The client groups (demo.client_groups.GROUPS; not the service groups above),
# on the public "who we serve" page. The words for households, businesses,
# schools and community organisations are the catalogues' (that page's intro).
CLIENT_GROUPS = {
    "Households": {"zu": "Amakhaya", "xh": "Amakhaya", "af": "Huishoudings", "st": "Malapa",
                   "tn": "Malwapa", "nso": "Malapa"},
    "Businesses": {"zu": "Amabhizinisi", "xh": "Amashishini", "af": "Besighede",
                   "st": "Dikgwebo", "tn": "Dikgwebo", "nso": "Dikgwebo"},
    "Schools and creches": {"zu": "Izikole nezinkulisa",
                            "xh": "Izikolo namaziko abantwana abancinci",
                            "af": "Skole en crèches", "st": "Dikolo le dikreshe",
                            "tn": "Dikolo le dikreshe", "nso": "Dikolo le dikreše"},
    "Ratepayers' and community organisations": {
        "zu": "Izinhlangano zabakhokhi bentela nezomphakathi",
        "xh": "Imibutho yabahlawuli berhafu neyoluntu",
        "af": "Belastingbetalers- en gemeenskapsorganisasies",
        "st": "Mekgatlo ya balefi ba lekgetho le ya setjhaba",
        "tn": "Mekgatlho ya baduedi ba lekgetho le ya baagi",
        "nso": "Mekgatlo ya balefi ba motšhelo le ya setšhaba"},
    "Other municipal departments": {"zu": "Eminye iminyango kamasipala",
                                    "xh": "Amanye amasebe kamasipala",
                                    "af": "Ander munisipale departemente",
                                    "st": "Mafapha a mang a masepala",
                                    "tn": "Mafapha a mangwe a mmasepala",
                                    "nso": "Dikgoro tše dingwe tša mmasepala"},
    "Provincial departments": {"zu": "Iminyango yesifundazwe", "xh": "Amasebe ephondo",
                               "af": "Provinsiale departemente", "st": "Mafapha a profensi",
                               "tn": "Mafapha a porofense", "nso": "Dikgoro tša profense"},
}

# What each service brings a client group (demo.client_groups.BENEFITS), by the English.
BENEFITS = {
    # Households
    "Water kept in the pipes and off the street, and bills that stay fair.": {
        "zu": "Amanzi ahlala emapayipini, angachitheki emgwaqweni, nama-akhawunti ahlala "
              "enobulungiswa.",
        "xh": "Amanzi ahlala emibhobhweni, angachitheki esitratweni, nee-akhawunti ezihlala "
              "zinobulungisa.",
        "af": "Water bly in die pype en nie op straat nie, en rekeninge bly billik.",
        "st": "Metsi a dula diphaepheng, eseng seterateng, mme dibili di dula di le toka.",
        "tn": "Metsi a nna mo diphaepheng e seng mo mmileng, mme dibili di nna di siame.",
        "nso": "Meetse a dula diphaepheng e sego mmileng, gomme dipili di dula di loketše."},
    "Taps running again, with a tanker when it takes longer.": {
        "zu": "Ompompi baphinde baphume amanzi, futhi kuze ithangi lamanzi uma kuthatha "
              "isikhathi eside.",
        "xh": "Iimpompo ziphinde zibe namanzi, kwaye kuze itanki lamanzi xa kuthatha ixesha "
              "elide.",
        "af": "Krane wat weer loop, met 'n watertenk as dit langer duur.",
        "st": "Dipompo di boela di tswa metsi, mme ho tla tanka ya metsi ha ho nka nako e "
              "telele.",
        "tn": "Dipompo di boela di ntsha metsi, mme go tla tanka ya metsi fa go tsaya lobaka "
              "lo loleele.",
        "nso": "Dipompi di boela di ntšha meetse, gomme go tla tanka ya meetse ge go tšea "
               "nako ye telele."},
    "Power back at home, with updates until it is.": {
        "zu": "Ugesi ubuya ekhaya, futhi uhlala wazisiwe uze ubuye.",
        "xh": "Umbane ubuya ekhaya, kwaye uhlala wazisiwe ude ubuye.",
        "af": "Krag terug by die huis, met nuus tot dit terug is.",
        "st": "Motlakase o kgutla hae, mme o lula o tsebiswa ho fihlela o kgutla.",
        "tn": "Motlakase o boela mo gae, mme o nna o itsisiwe go fitlha o boa.",
        "nso": "Mohlagase o boela gae, gomme o dula o tsebišwa go fihlela o boa."},
    "A clean yard and street every week.": {
        "zu": "Igceke nomgwaqo okuhlanzekile njalo ngesonto.",
        "xh": "Iyadi nesitrato ezicocekileyo veki nganye.",
        "af": "'n Skoon erf en straat elke week.",
        "st": "Jarete le seterata tse hlwekileng beke le beke.",
        "tn": "Jarata le mmila tse di phepa beke le beke.",
        "nso": "Jarata le mmila tše di hlwekilego beke le beke."},
    "Safer roads for the family car and taxi.": {
        "zu": "Imigwaqo ephephile kakhulu yemoto yomndeni netekisi.",
        "xh": "Iindlela ezikhuseleke ngakumbi kwimoto yosapho nakwiteksi.",
        "af": "Veiliger paaie vir die gesin se motor en die taxi.",
        "st": "Ditsela tse bolokehileng ho feta bakeng sa koloi ya lelapa le tekesi.",
        "tn": "Ditsela tse di babalesegileng go feta tsa koloi ya lelwapa le thekesi.",
        "nso": "Ditsela tše di bolokegilego kudu tša koloi ya lapa le thekisi."},
    "An account that is right, explained in plain words.": {
        "zu": "I-akhawunti elungile, echazwe ngamagama alula.",
        "xh": "I-akhawunti echanekileyo, ecaciswe ngamagama alula.",
        "af": "'n Rekening wat reg is, in eenvoudige woorde verduidelik.",
        "st": "Akhaonte e nepahetseng, e hlaloswang ka mantswe a bonolo.",
        "tn": "Akhaonto e e siameng, e e tlhalosiwang ka mafoko a a motlhofo.",
        "nso": "Akhaonte ye e nepagetšego, ye e hlalošwago ka mantšu a bonolo."},
    "Free basic water and electricity for those who qualify.": {
        "zu": "Amanzi nogesi oyisisekelo mahhala kulabo abafanelekayo.",
        "xh": "Amanzi nombane osisiseko simahla kwabo bafanelekayo.",
        "af": "Gratis basiese water en elektrisiteit vir dié wat kwalifiseer.",
        "st": "Metsi le motlakase wa motheo mahala bakeng sa ba tshwanelehang.",
        "tn": "Metsi le motlakase wa motheo mahala go ba ba tshwanelegang.",
        "nso": "Meetse le mohlagase wa motheo mahala go bao ba swanelegago."},
    "A fair place on the housing list and news of progress.": {
        "zu": "Indawo efanele ohlwini lwezindlu, nezindaba zokuthi kuqhubeka kanjani.",
        "xh": "Indawo efanelekileyo kuluhlu lwezindlu, neendaba zokuba kuqhubeka njani.",
        "af": "'n Regverdige plek op die behuisingslys en nuus oor die vordering.",
        "st": "Sebaka se loketseng lenaneng la matlo, le ditaba tsa tswelopele.",
        "tn": "Lefelo le le siameng mo lenaaneng la matlo, le dikgang tsa kgatelopele.",
        "nso": "Sebaka se se lokilego lelokelelong la dintlo, le ditaba tša tšwelopele."},
    # Businesses
    "Supply agreed to the business's load and opening date.": {
        "zu": "Ugesi ohambisana nesidingo sebhizinisi nosuku lokuvula, njengoba "
              "kuvunyelwene.",
        "xh": "Umbane ohambelana neemfuno zeshishini nomhla wokuvula, njengoko "
              "kuvunyelwene.",
        "af": "Toevoer volgens die besigheid se las en openingsdatum, soos ooreengekom.",
        "st": "Phepelo e dumellanweng ho ya ka tlhoko ya kgwebo le letsatsi la ho bula.",
        "tn": "Kabo e e dumalanweng go ya ka tlhokego ya kgwebo le letsatsi la go bula.",
        "nso": "Kabo yeo go dumelelanwego ka yona go ya ka nyakego ya kgwebo le letšatši la "
               "go bula."},
    "Trading legally, with the licence on the day agreed.": {
        "zu": "Ukuhweba ngokomthetho, nelayisensi ngosuku okuvunyelwene ngalo.",
        "xh": "Ukurhweba ngokusemthethweni, nelayisensi ngomhla ekuvunyelwene ngawo.",
        "af": "Wettig handel dryf, met die lisensie op die dag wat ooreengekom is.",
        "st": "Ho hweba ka molao, ka laesense ka letsatsi le dumellanweng.",
        "tn": "Go gweba ka fa molaong, ka laesense ka letsatsi le le dumalanweng.",
        "nso": "Go gweba ka molao, ka laesense ka letšatši leo go dumelelanwego ka lona."},
    "Less downtime and lost stock.": {
        "zu": "Isikhathi esincane sokungasebenzi, nempahla encane elahlekayo.",
        "xh": "Ixesha elincinci lokungasebenzi, nempahla encinci elahlekayo.",
        "af": "Minder tyd stil en minder voorraad verloor.",
        "st": "Nako e nyane ya ho ema ha mosebetsi, le thepa e nyane e lahlehang.",
        "tn": "Nako e khutshwane ya go ema ga tiro, le dithoto di se kae tse di latlhegang.",
        "nso": "Nako ye nnyane ya go ema ga mošomo, le dithoto tše nnyane tšeo di "
               "lahlegago."},
    "Water supply kept steady for production.": {
        "zu": "Amanzi angaphazamiseki ukuze umkhiqizo uqhubeke.",
        "xh": "Amanzi angaphazamiseki ukuze imveliso iqhubeke.",
        "af": "Bestendige watertoevoer vir produksie.",
        "st": "Phepelo ya metsi e tsitsitseng bakeng sa tlhahiso.",
        "tn": "Kabo ya metsi e e tsepameng ya tlhagiso.",
        "nso": "Kabo ya meetse ye e tsepamego bakeng sa tšweletšo."},
    "Correct accounts and one person to call.": {
        "zu": "Ama-akhawunti alungile, nomuntu oyedwa ongamshayela.",
        "xh": "Ii-akhawunti ezichanekileyo, nomntu omnye onokumtsalela umnxeba.",
        "af": "Korrekte rekeninge en een persoon om te bel.",
        "st": "Diakhaonte tse nepahetseng, le motho a le mong eo o ka mo letsetsang.",
        "tn": "Diakhaonto tse di siameng, le motho a le mongwe yo o ka mo leletsang.",
        "nso": "Diakhaonte tše di nepagetšego, le motho o tee yo o ka mo letšetšago."},
    "A permitted stand in a safe, serviced place.": {
        "zu": "Indawo yokuhweba enemvume, endaweni ephephile enezinsizakalo.",
        "xh": "Indawo yorhwebo enemvume, kwindawo ekhuselekileyo eneenkonzo.",
        "af": "'n Toegelate staanplek op 'n veilige plek met dienste.",
        "st": "Sebaka sa ho rekisetsa se nang le tumello, sebakeng se bolokehileng se nang "
              "le ditshebeletso.",
        "tn": "Lefelo la go rekisetsa le le nang le tetla, mo lefelong le le babalesegileng "
              "le le nang le ditirelo.",
        "nso": "Lefelo la go rekišetša leo le nago le tumelelo, lefelong le le bolokegilego "
               "leo le nago le ditirelo."},
    # Schools and creches
    "Safe roads for learners and scholar transport.": {
        "zu": "Imigwaqo ephephile yabafundi nezimoto ezithutha abafundi.",
        "xh": "Iindlela ezikhuselekileyo zabafundi nezithuthi ezithutha abafundi.",
        "af": "Veilige paaie vir leerders en skoolvervoer.",
        "st": "Ditsela tse bolokehileng bakeng sa baithuti le dipalangwang tsa sekolo.",
        "tn": "Ditsela tse di babalesegileng tsa barutwana le dipalangwa tsa sekolo.",
        "nso": "Ditsela tše di bolokegilego tša baithuti le dinamelwa tša sekolo."},
    "Water at school so that it does not close early.": {
        "zu": "Amanzi esikoleni ukuze singavali ngaphambi kwesikhathi.",
        "xh": "Amanzi esikolweni ukuze singavali kwangethuba.",
        "af": "Water by die skool sodat dit nie vroeg hoef te sluit nie.",
        "st": "Metsi sekolong hore se se ke sa kwala pele ho nako.",
        "tn": "Metsi kwa sekolong gore se se tswalwe pele ga nako.",
        "nso": "Meetse sekolong gore se se tswalelwe pele ga nako."},
    "Working toilets: dignity and health for learners.": {
        "zu": "Amathoyilethi asebenzayo: isithunzi nempilo yabafundi.",
        "xh": "Izindlu zangasese ezisebenzayo: isidima nempilo yabafundi.",
        "af": "Toilette wat werk: waardigheid en gesondheid vir leerders.",
        "st": "Matlwana a sebetsang: seriti le bophelo bo botle ba baithuti.",
        "tn": "Matlwana a a dirang: seriti le boitekanelo jwa barutwana.",
        "nso": "Dintlwana tše di šomago: seriti le maphelo a mabotse a baithuti."},
    "A registered centre that can receive subsidies.": {
        "zu": "Isikhungo esibhalisiwe esingathola izibonelelo.",
        "xh": "Iziko elibhalisiweyo elinokufumana inkxaso-mali.",
        "af": "'n Geregistreerde sentrum wat subsidies kan ontvang.",
        "st": "Setsi se ngodisitsweng se ka fumanang thuso ya ditjhelete.",
        "tn": "Lefelo le le kwadisitsweng le le ka amogelang thuso ya madi.",
        "nso": "Lefelo leo le ngwadišitšwego leo le ka hwetšago thušo ya tšhelete."},
    "Safe crossings at the school gate.": {
        "zu": "Izindawo zokuwela eziphephile esangweni lesikole.",
        "xh": "Iindawo zokuwela ezikhuselekileyo kwisango lesikolo.",
        "af": "Veilige oorgange by die skoolhek.",
        "st": "Dibaka tsa ho tshela tse bolokehileng hekeng ya sekolo.",
        "tn": "Mafelo a go kgabaganya a a babalesegileng kwa kgorong ya sekolo.",
        "nso": "Mafelo a go tshela ao a bolokegilego kgorong ya sekolo."},
    # Ratepayers' and community organisations
    "Open spaces cleared and kept clean.": {
        "zu": "Izindawo ezivulekile ziyahlanzwa futhi zigcinwe zihlanzekile.",
        "xh": "Iindawo ezivulekileyo ziyacocwa kwaye zigcinwe zicocekile.",
        "af": "Oop ruimtes skoongemaak en skoon gehou.",
        "st": "Dibaka tse bulehileng di a hlwekiswa, mme di bolokwa di hlwekile.",
        "tn": "Mafelo a a bulegileng a a phepafadiwa, mme a bolokwa a le phepa.",
        "nso": "Mafelo ao a bulegilego a a hlwekišwa, gomme a dula a hlwekile."},
    "A clean neighbourhood.": {
        "zu": "Indawo yokuhlala ehlanzekile.", "xh": "Ingingqi ecocekileyo.",
        "af": "'n Skoon buurt.", "st": "Tikoloho e hlwekileng.", "tn": "Tikologo e e phepa.",
        "nso": "Tikologo ye e hlwekilego."},
    "Lit streets and safer walks home.": {
        "zu": "Imigwaqo ekhanyisiwe, nokuhamba uya ekhaya ngokuphepha.",
        "xh": "Izitrato ezikhanyisiweyo, nokuhamba usiya ekhaya ngokhuseleko ngakumbi.",
        "af": "Strate met lig, en veiliger om huis toe te loop.",
        "st": "Diterata tse kganyang, le ho tsamaya ho ya hae ka polokeho.",
        "tn": "Mebila e e bonesitsweng, le go tsamaya go ya gae ka polokesego.",
        "nso": "Mebila ye e bonešitšwego, le go sepela go ya gae ka polokego."},
    "Basic services while people wait for housing.": {
        "zu": "Izinsizakalo eziyisisekelo ngesikhathi abantu besalinde izindlu.",
        "xh": "Iinkonzo ezisisiseko ngelixa abantu belindele izindlu.",
        "af": "Basiese dienste terwyl mense op behuising wag.",
        "st": "Ditshebeletso tsa motheo ha batho ba ntse ba emetse matlo.",
        "tn": "Ditirelo tsa motheo fa batho ba sa ntse ba emetse matlo.",
        "nso": "Ditirelo tša motheo ge batho ba sa letetše dintlo."},
    # Other municipal departments
    "Lights fixed in time for the ward councillor's walkabout.": {
        "zu": "Izibani zilungiswa ngaphambi kokuba ikhansela lewadi livakashele indawo.",
        "xh": "Izibane zilungiswa phambi kokuba uceba wewadi atyelele ingingqi.",
        "af": "Ligte betyds herstel vir die wykraadslid se besoek aan die wyk.",
        "st": "Mabone a lokiswa ka nako pele khanselara ya wate a etela wate.",
        "tn": "Mabone a baakanngwa ka nako pele mokhanselara wa wate a etela wate.",
        "nso": "Mabone a lokišwa ka nako pele khanselara wa wate a etela wate."},
    "Leaks fixed before they damage roads and buildings.": {
        "zu": "Ukuvuza kulungiswa ngaphambi kokuba konakalise imigwaqo nezakhiwo.",
        "xh": "Ukuvuza kulungiswa phambi kokuba konakalise iindlela nezakhiwo.",
        "af": "Lekke herstel voordat hulle paaie en geboue beskadig.",
        "st": "Ho dutla ho a lokiswa pele ho senya ditsela le meaho.",
        "tn": "Go dutla go a baakanngwa pele go senya ditsela le dikago.",
        "nso": "Go dutla go a lokišwa pele go senya ditsela le meago."},
    "Accounts for municipal buildings that are right.": {
        "zu": "Ama-akhawunti alungile ezakhiwo zikamasipala.",
        "xh": "Ii-akhawunti ezichanekileyo zezakhiwo zikamasipala.",
        "af": "Korrekte rekeninge vir munisipale geboue.",
        "st": "Diakhaonte tse nepahetseng tsa meaho ya masepala.",
        "tn": "Diakhaonto tse di siameng tsa dikago tsa mmasepala.",
        "nso": "Diakhaonte tše di nepagetšego tša meago ya mmasepala."},
    # Provincial departments
    "Sanitation at schools and clinics they run.": {
        "zu": "Inhlanzeko ezikoleni nasemitholampilo abayiphethe.",
        "xh": "Ucoceko ezikolweni nakwiikliniki abaziphetheyo.",
        "af": "Sanitasie by die skole en klinieke wat hulle bestuur.",
        "st": "Bohloeki dikolong le ditleliniking tseo ba di tsamaisang.",
        "tn": "Bophepa kwa dikolong le dikokelwaneng tse ba di tsamaisang.",
        "nso": "Bohlwekiši dikolong le dikliniking tšeo ba di laolago."},
    "Water at clinics and schools.": {
        "zu": "Amanzi emitholampilo nasezikoleni.",
        "xh": "Amanzi kwiikliniki nasezikolweni.",
        "af": "Water by klinieke en skole.",
        "st": "Metsi ditleliniking le dikolong.",
        "tn": "Metsi kwa dikokelwaneng le kwa dikolong.",
        "nso": "Meetse dikliniking le dikolong."},
    "Beneficiary lists agreed in time for housing projects.": {
        "zu": "Uhlu lwabahlomuli okuvunyelwene ngalo ngesikhathi, ngaphambi kwamaphrojekthi "
              "ezindlu.",
        "xh": "Uluhlu lwabaxhamli ekuvunyelwene ngalo ngexesha, phambi kweeprojekthi "
              "zezindlu.",
        "af": "Lyste van begunstigdes betyds ooreengekom vir behuisingsprojekte.",
        "st": "Manane a baamohedi a dumellanwang ka nako bakeng sa diprojeke tsa matlo.",
        "tn": "Manaane a baamogedi a a dumalanwang ka nako ya diporojeke tsa matlo.",
        "nso": "Mananeo a baholegi ao go dumelelanwago ka ona ka nako bakeng sa diprotšeke "
               "tša dintlo."},
}
