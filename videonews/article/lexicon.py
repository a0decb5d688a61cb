"""Word lists used to tell names from titles, and speech from other verbs (English, some Chinese)."""

from __future__ import annotations

SPEECH_VERBS = frozenset("""
said says say saying added adds adding told tells tell stressed stresses emphasised emphasized emphasises
emphasizes noted notes asked asks explained explains wrote writes declared declares insisted insists argued
argues warned warns urged urges claimed claims stated states continued continues recalled recalls replied
replies responded responds remarked remarks observed observes announced announces acknowledged acknowledges
admitted admits conceded concedes concluded concludes suggested suggests agreed agrees commented comments
underlined underlines underscored underscores highlighted highlights reiterated reiterates maintained maintains
cautioned cautions predicted predicts promised promises vowed vows pledged pledges confirmed confirms denied
denies joked jokes laughed shouted tweeted posted reported reports elaborated elaborates quipped quips
lamented laments complained complains boasted boasts countered counters retorted whispered sighed
assured assures cried exclaimed mused added affirmed affirms contended contends testified testifies
""".split())

# Verbs that introduce indirect speech or name things; a quoted fragment after them is partial.
REPORTING_VERBS = SPEECH_VERBS | frozenset("""
called calls described describes dubbed dubs termed terms labelled labeled labels branded brands
referred refers hailed hails praised praises criticised criticized slammed blasted welcomed
advocated advocates proposed proposes described mentioned mentions characterised characterized
""".split())

PRONOUNS = {"he": "m", "she": "f", "him": "m", "her": "f", "his": "m", "hers": "f"}
SUBJECT_PRONOUNS = {"he": "m", "she": "f"}
OTHER_PRONOUNS = frozenset("i we they it you one this that who which".split())

HONORIFICS = {
    "mr": "m", "mister": "m", "sir": "m", "lord": "m", "monsieur": "m", "herr": "m", "señor": "m",
    "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "madame": "f", "mme": "f", "dame": "f", "lady": "f",
    "frau": "f", "señora": "f", "mx": None, "dr": None, "prof": None, "professor": None,
}

GENDERED_ROLES = {
    "spokesman": "m", "spokeswoman": "f", "chairman": None, "chairwoman": "f", "businessman": "m",
    "businesswoman": "f", "congressman": "m", "congresswoman": "f", "king": "m", "queen": "f", "prince": "m",
    "princess": "f", "father": "m", "mother": "f", "son": "m", "daughter": "f", "husband": "m", "wife": "f",
    "brother": "m", "sister": "f", "grandfather": "m", "grandmother": "f", "widow": "f", "widower": "m",
    "actress": "f", "actor": None, "emperor": "m", "empress": "f", "duke": "m", "duchess": "f", "uncle": "m",
    "aunt": "f", "boy": "m", "girl": "f", "man": "m", "woman": "f", "nun": "f", "monk": "m", "priest": "m",
    "policeman": "m", "policewoman": "f", "councilman": "m", "councilwoman": "f", "sportsman": "m",
    "sportswoman": "f", "horseman": "m", "fisherman": "m", "chancellor": None, "pope": "m", "imam": "m",
}

ROLE_NOUNS = frozenset("""
president vice-president president-elect premier vice-premier minister secretary secretary-general
undersecretary spokesman spokeswoman spokesperson spokespeople official chairman chairwoman chair chairperson
founder co-founder cofounder ceo cfo coo cto cio director director-general professor analyst expert researcher
scientist economist strategist farmer resident ambassador envoy diplomat leader governor mayor senator
lawmaker legislator congressman congresswoman representative mp deputy delegate chief head executive
manager partner owner chancellor king queen prince princess emperor commander general admiral colonel captain
lieutenant sergeant officer coach player striker midfielder goalkeeper actor actress singer writer author
journalist reporter editor correspondent student teacher doctor nurse surgeon physician lawyer attorney judge
justice prosecutor counsel adviser advisor consultant aide worker employee engineer entrepreneur businessman
businesswoman investor trader banker activist campaigner protester protestor organizer organiser volunteer
villager citizen voter fan pilot driver mother father wife husband son daughter brother sister grandmother
grandfather widow survivor witness victim shopkeeper vendor member candidate nominee pope cardinal bishop
priest imam rabbi monk nun sheikh commissioner inspector superintendent constable dean principal fellow
curator architect designer artist photographer filmmaker producer musician composer poet novelist historian
scholar sociologist psychologist epidemiologist virologist boss founder-chairman representative secretary-general
rapporteur negotiator mediator administrator supervisor coordinator specialist technician operator
accountant auditor regulator planner marshal monarch ruler sovereign premier-designate candidate mayor-elect
chairman-elect host presenter anchor commentator columnist blogger influencer veteran soldier marine sailor
patient parent grandparent owner tenant landlord retiree pensioner miner fisherman herder grower breeder
chef cook waiter cashier clerk guard ranger firefighter paramedic midwife pharmacist dentist vet veterinarian
athlete champion medallist medalist runner swimmer cyclist skater skier boxer wrestler gymnast referee
umpire manager-coach coach-manager professor-emeritus lecturer tutor pupil graduate intern apprentice
official-in-charge vice-chairman vice-chairwoman vice-chair vice-minister vice-governor vice-mayor
deputy-director councillor councilor alderman sheriff warden chaplain pastor reverend archbishop
speaker rep sen gov barrister solicitor magistrate coroner critic laureate defender winger goalkeeper
tailor seamstress baker butcher carpenter plumber electrician mechanic cleaner labourer laborer porter
hairdresser barber weaver potter builder bricklayer philosopher thinker theologian
forward centre-back center-back full-back fullback playmaker skipper keeper quarterback pitcher batter
batsman bowler wicketkeeper jockey golfer sprinter rider racer teammate rookie debutant substitute
commuter passenger shopper motorist tourist visitor neighbour neighbor homeowner customer mourner spectator
onlooker bystander demonstrator traveller traveler holidaymaker
""".split())

TITLE_MODIFIERS = frozenset("""
senior former then acting interim deputy vice chief top veteran local foreign prime executive general
assistant associate managing founding leading lead retired outgoing incoming new longtime long-time first
second third defence defense finance trade commerce health education ministry party state national regional
provincial municipal city county federal press communications public security military police government
company group army navy air force economic political opposition ruling labour labor conservative liberal
democratic republican independent junior principal permanent special honorary emeritus presidential royal
cabinet parliamentary legal technical chief-executive research marketing sales operations financial
investment strategy policy foreign-policy environment environmental energy agriculture agricultural interior
home justice culture cultural tourism transport industry industrial information technology science
internal external international world global regional area district village town township provincial-level
central committee bureau office department commission council agency administration authority
shadow junior-minister co-chief joint
""".split())

ORG_WORDS = frozenset("""
ministry department council committee commission bureau office agency administration authority government
party group company corp corporation inc ltd co bank university college institute institution academy
association federation union court house senate congress parliament assembly army navy police force
conference summit forum fund foundation organization organisation centre center network news times daily post
journal herald tribune press service television radio tv channel club team league province city county
district state region republic kingdom empire square street road avenue park airport station port river
lake mountain island bay sea ocean hospital school church temple museum zone area village town township
county prefecture municipality embassy consulate mission alliance coalition movement front council
programme program project initiative plan strategy summit expo exhibition festival games cup championship trust
olympics world internet web online app platform exchange market index prize award awards medal trophy
""".split())

NATIONALITIES = frozenset("""
chinese american british english scottish welsh irish french german italian spanish portuguese dutch
belgian swiss austrian swedish norwegian danish finnish icelandic polish czech slovak hungarian romanian
bulgarian greek turkish russian ukrainian belarusian serbian croatian bosnian slovenian albanian
japanese korean south-korean north-korean taiwanese vietnamese thai cambodian laotian burmese myanmar
malaysian singaporean indonesian filipino philippine indian pakistani bangladeshi sri lankan nepali nepalese
afghan iranian iraqi syrian lebanese israeli palestinian jordanian saudi emirati qatari kuwaiti omani
yemeni egyptian libyan tunisian algerian moroccan sudanese ethiopian eritrean somali kenyan ugandan
tanzanian rwandan burundian congolese nigerian ghanaian ivorian senegalese malian cameroonian angolan
zambian zimbabwean mozambican namibian botswanan south-african african asian european latin arab
canadian mexican cuban haitian dominican jamaican brazilian argentine argentinian chilean peruvian
colombian venezuelan ecuadorian bolivian paraguayan uruguayan australian new-zealand zealand kiwi
kazakh uzbek kyrgyz tajik turkmen mongolian georgian armenian azerbaijani hong kong macao macau
u.s. us u.k. uk eu un western eastern northern southern central beijing washington moscow london
""".split())

STOP_CAPS = frozenset("""
the a an this that these those he she it they we i you his her its their our my your but and or so if
when while after before in on at for from with by as of to meanwhile however also then now still yet last
next earlier later monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december here there speaking according asked following
during despite although though since under over many some most all other another such both each every
no not why what how who where which whose nor because unlike like among amid about against into through
without within upon across toward towards instead once twice today yesterday tomorrow tonight
mr mrs ms dr prof sir madam miss lord lady
writing posting tweeting addressing responding reacting announcing interviewed quoted
""".split())

# Letters written after a name, never part of it ("Richard Mansell KC", "John Smith Jr.").
POST_NOMINALS = frozenset("kc qc sc mp mep msp mla obe cbe mbe kbe dbe phd md jr sr ii iii iv esq".split())

# Nouns for a person by nationality or age ("the Argentine", "the Spaniard", "the 21-year-old").
DEMONYMS = frozenset("""
spaniard frenchman frenchwoman briton dutchman dutchwoman scot scotsman welshman welshwoman irishman
irishwoman englishman englishwoman swede dane finn pole czech serb croat slovak slovene kiwi aussie
argentine argentinian brazilian american canadian mexican colombian chilean uruguayan peruvian portuguese
italian german frenchman belgian swiss austrian norwegian russian ukrainian georgian australian japanese
korean chinese nigerian ghanaian kenyan egyptian moroccan senegalese cameroonian ivorian algerian tunisian
croatian serbian bosnian greek turk israeli iranian indian pakistani veteran youngster teenager
""".split())

CJK_SPEECH_VERBS = ("表示", "指出", "强调", "说道", "补充说", "介绍说", "介绍", "认为", "坦言", "直言", "透露", "写道",
                    "告诉记者", "回答", "称", "说", "道")
CJK_ROLES = ("发言人", "主席", "副主席", "部长", "副部长", "总理", "副总理", "总统", "副总统", "官员", "专家", "教授",
             "书记", "总书记", "总裁", "董事长", "创始人", "负责人", "主任", "局长", "市长", "省长", "大使", "记者",
             "委员", "院长", "校长", "经理", "总经理", "首席执行官", "研究员", "学者", "代表", "会长", "秘书长",
             "外长", "总干事", "司令", "队长", "主持人", "村民", "居民", "农民", "工人", "学生", "老师", "医生")
CJK_PRONOUNS = {"他": "m", "她": "f"}

KNOWN_ORGS = frozenset("""
xinhua reuters ap afp bloomberg cgtn cctv bbc cnn kyodo yonhap tass sputnik nasa nato who wto imf un eu
opec asean apec g20 g7 fifa ioc alibaba tencent huawei apple google microsoft amazon meta facebook twitter
tesla baidu bytedance tiktok xiaomi samsung toyota interfax ria anadolu dpa efe
jazeera sky abc nbc cbs fox npr pbs zdf ard cna nhk kbs euronews politico axios telegram instagram
youtube weibo wechat whatsapp linkedin
""".split())

# Words naming a news agency or outlet: after "according to" it is a source that reports words, not a speaker.
NEWS_SOURCES = frozenset("""
news agency media television tv radio broadcaster broadcasting newspaper daily times journal herald
tribune gazette telegraph chronicle wire outlet xinhua reuters ap afp bloomberg cgtn cctv bbc cnn kyodo yonhap
kcna tass sputnik interfax ria anadolu dpa efe jazeera nhk kbs euronews politico axios pti ians ani upi
""".split())


def is_role(word: str) -> bool:
    w = word.lower().strip(".,")
    if w.endswith(("'s", "’s")):
        return False
    return w in ROLE_NOUNS or w in HONORIFICS or w.rstrip("s") in ROLE_NOUNS

# Common Chinese surnames (single and double), to tell a name from other two-character words.
CJK_SURNAMES_DOUBLE = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯", "长孙")
CJK_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂"
    "章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶"
    "解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇"
    "桑郎甄丛仲虞敖巩明佘池查麻苑迟邝习"
)


def cjk_name_ok(name: str) -> bool:
    return (2 <= len(name) <= 4 and (name[0] in CJK_SURNAMES or name.startswith(CJK_SURNAMES_DOUBLE)))

# Plural or collective subjects: never a named speaker.
GROUP_NOUNS = frozenset("""
critics analysts officials residents experts observers witnesses protesters protestors police authorities
investigators scientists researchers doctors sources locals villagers economists diplomats lawmakers
organisers organizers campaigners supporters opponents people others some many both neither everyone
students parents teachers farmers workers fans players executives insiders traders investors activists
participants delegates attendees visitors voters citizens leaders ministers officers soldiers troops
rescuers volunteers scholars historians commentators
""".split())

# What may follow a speech verb before a quote: "told reporters on Monday:", "said in a statement:".
VERB_OBJECTS = frozenset("""
reporters journalists lawmakers delegates parliament the a an press media conference briefing news statement
interview in at on during to with later also then monday tuesday wednesday thursday friday saturday sunday
yesterday today earlier this last week month year morning afternoon evening night audience crowd event forum
meeting summit rally speech session hearing committee senators students supporters his her their its x
twitter television tv radio website post letter video message social online broadcaster state newspaper
agency outlet channel podcast program programme show told written emailed e-mailed regular daily weekly
recent televised address remarks comments sidelines of ceremony us him them me
""".split())
