from django.urls import path

from jiceng.core import views_map

from . import views

app_name = "patrols"
urlpatterns = [
    path("", views.patrol_list, name="list"),
    path("new/", views.patrol_create, name="create"),
    path("<int:pk>/", views.patrol_detail, name="detail"),
    path("<int:pk>/track/", views.track_add, name="track_add"),
    path("<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("findings/<int:pk>/clue/", views.finding_clue, name="finding_clue"),
    path("areas/", views.area_list, name="area_list"),
    path("report/", views.monthly_report, name="report"),
    # The map (core.maps): one page per unit (an office, or a whole county) with every registered layer.
    path("map/", views_map.map_home, name="map_home"),
    path("map/<int:pk>/", views_map.map_page, name="map"),
    path("map/<int:pk>/data.json", views_map.map_data, name="map_data"),
]
